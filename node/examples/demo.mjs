// The main job on the embedded emulator, in Node: create a channel, broadcast to it, read the
// stream, page through channels, handle an error, clean up. `make demo-node`.
import { IvsClient, startEmulator, paginateListChannels, CreateChannelCommand, ResourceNotFoundException } from 'libivs';

const emulator = startEmulator();
const client = new IvsClient(emulator.clientConfig);
console.log(`[node] emulator at ${emulator.url}`);

const created = await client.createChannel({ name: 'node-demo', latencyMode: 'LOW', tags: { lang: 'node' } });
const channelArn = created.channel.arn;
console.log(`[node] created ${channelArn}`);

// A simulated broadcaster goes live with the channel's stream key.
emulator.startStream(created.streamKey.value);
const { stream } = await client.getStream({ channelArn });
console.log(`[node] stream ${stream.streamId} is ${stream.state} (${stream.health}) since ${stream.startTime.toISOString()}`);
const { streamSession } = await client.getStreamSession({ channelArn });
console.log(`[node] session has ${streamSession.truncatedEvents.length} events`);

await Promise.all([0, 1, 2, 3].map((i) => client.send(new CreateChannelCommand({ name: `node-extra-${i}` }))));
let page = 0;
for await (const { channels } of paginateListChannels({ client, pageSize: 2 }, {})) {
  page += 1;
  console.log(`[node] page ${page}: ${JSON.stringify(channels.map((c) => c.name))}`);
}

try {
  await client.getChannel({ arn: channelArn.replace(/\/.*$/, '/abcdABCD1234') });
} catch (error) {
  if (!(error instanceof ResourceNotFoundException)) throw error;
  console.log(`[node] ${error.name} (HTTP ${error.$metadata.httpStatusCode}): ${error.message}`);
}

await client.stopStream({ channelArn });
let deleted = 0;
for await (const channel of paginateListChannels({ client }, {}).items()) {
  await client.deleteChannel({ arn: channel.arn });
  deleted += 1;
}
console.log(`[node] deleted ${deleted} channels; done`);
emulator.stop();
