// Type-checked by `make lint-node` (tsc): the generated index.d.ts describes what users write.
import {
  IvsClient, CreateChannelCommand, GetChannelCommand, paginateListChannels, paginateListStreamSessions,
  getSignedUrl, startEmulator, ResourceNotFoundException, IvsServiceException, IvsError,
  type Channel, type ChannelLatencyMode, type ChannelSummary, type StreamSessionSummary,
  type CreateChannelCommandOutput,
} from '../../index.js';

export async function usage(): Promise<void> {
  const emulator = startEmulator({ port: 0 });
  const client = new IvsClient({ ...emulator.clientConfig, maxAttempts: 2, retryMode: 'standard', requestTimeout: 1000 });
  const latency: ChannelLatencyMode = 'LOW';
  const created: CreateChannelCommandOutput = await client.createChannel({ name: 'typed', latencyMode: latency });
  const channel: Channel | undefined = created.channel;
  const status: number | undefined = created.$metadata.httpStatusCode;
  const viaCommand = await client.send(new GetChannelCommand({ arn: channel?.arn ?? '' }));
  const name: string | undefined = viaCommand.channel?.name;
  await client.send(new CreateChannelCommand());
  for await (const page of paginateListChannels({ client, pageSize: 10 }, {})) {
    const items: ChannelSummary[] = page.channels;
    void items;
  }
  for await (const session of paginateListStreamSessions({ client }, { channelArn: 'arn' }).items()) {
    const started: Date | undefined = (session as StreamSessionSummary).startTime;
    void started;
  }
  const url: string = await getSignedUrl(client, new GetChannelCommand({ arn: 'arn' }), { expiresIn: 60 });
  try {
    await client.getChannel({ arn: 'missing' });
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      const fault: 'client' = error.$fault;
      void fault;
    } else if (error instanceof IvsServiceException || error instanceof IvsError) {
      const code: string = error.code;
      void code;
    }
  }
  emulator.startStream('sk_us-west-2_x');
  emulator.injectFault({ operation: 'GetChannel', count: 1, status: 503 });
  emulator.stop();
  client.destroy();
  void status; void name; void url;
  // @ts-expect-error: latencyMode is a string-literal enum.
  await client.createChannel({ latencyMode: 'FAST' });
  // @ts-expect-error: getChannel needs its required arn.
  await client.getChannel({});
}
