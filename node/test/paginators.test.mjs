// The 9 paginators: pages, items, pageSize, maxItems/resumeToken, early exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as libivs from '../index.mjs';
import { setup, publicKeyPem } from './helpers.mjs';

const { OPERATIONS, IvsPaginator, InternalServerException, ResourceNotFoundException, ParamValidationError } = libivs;

async function collect(iterable) {
  const out = [];
  for await (const value of iterable) out.push(value);
  return out;
}

test('all 9 paginators exist and page through the emulator two items a page', async () => {
  const paginated = OPERATIONS.filter((op) => op[4]);
  assert.equal(paginated.length, 9);
  const { emulator, client } = setup();
  try {
    // Three of everything that the list operations return.
    const channels = [];
    for (let i = 0; i < 3; i++) {
      const created = await client.createChannel({ name: `ch${i}` });
      channels.push(created);
      await client.createRecordingConfiguration({ name: `rec${i}`, destinationConfiguration: { s3: { bucketName: `bucket-${i}` } } });
      await client.createPlaybackRestrictionPolicy({ name: `policy${i}` });
      await client.createAdConfiguration({ name: `ad${i}`, mediaTailorPlaybackConfigurations: [
        { playbackConfigurationArn: `arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/p${i}` }] });
      await client.createFailoverSlateConfiguration({ name: `slate${i}` });
      await client.importPlaybackKeyPair({ publicKeyMaterial: publicKeyPem(), name: `kp${i}` });
      emulator.startStream(created.streamKey.value);
    }
    // Three sessions on the first channel.
    const first = channels[0];
    for (let i = 0; i < 2; i++) {
      emulator.stopStream(first.channel.arn);
      emulator.startStream(first.streamKey.value);
    }
    const inputs = {
      ListStreamKeys: { channelArn: first.channel.arn },
      ListStreamSessions: { channelArn: first.channel.arn },
    };
    const expected = { ListStreamKeys: 1 };
    for (const [name, , , , paginator] of paginated) {
      const paginate = libivs[`paginate${name}`];
      assert.equal(typeof paginate, 'function', name);
      const iterator = paginate({ client, pageSize: 2 }, inputs[name] ?? {});
      assert.ok(iterator instanceof IvsPaginator);
      assert.equal(iterator.resultKey, paginator.resultKey);
      const pages = await collect(iterator);
      const want = expected[name] ?? 3;
      assert.equal(pages.length, Math.ceil(want / 2), name);
      assert.ok(pages.every((p) => p.$metadata.httpStatusCode === 200));
      assert.ok(pages.slice(0, -1).every((p) => p[paginator.resultKey].length === 2 && p.nextToken), name);
      const items = await collect(paginate({ client, pageSize: 2 }, inputs[name] ?? {}).items());
      assert.equal(items.length, want, name);
      assert.deepEqual(items, pages.flatMap((p) => p[paginator.resultKey]), name);
    }
    // Timestamps in paged items are Dates.
    const sessions = await collect(libivs.paginateListStreamSessions({ client }, { channelArn: first.channel.arn }).items());
    assert.ok(sessions.every((s) => s.startTime instanceof Date));
  } finally {
    emulator.stop();
  }
});

test('maxItems cuts the pages and resumeToken continues where they stopped', async () => {
  const { emulator, client } = setup();
  try {
    for (let i = 0; i < 5; i++) await client.createChannel({ name: `ch${i}` });
    const first = libivs.paginateListChannels({ client, pageSize: 2, maxItems: 3 }, {});
    const items = await collect(first.items());
    assert.deepEqual(items.map((c) => c.name), ['ch0', 'ch1', 'ch2']);
    assert.ok(first.resumeToken);
    const rest = await collect(libivs.paginateListChannels({ client, pageSize: 2, startingToken: first.resumeToken }, {}).items());
    assert.deepEqual(rest.map((c) => c.name), ['ch3', 'ch4']);
  } finally {
    emulator.stop();
  }
});

test('breaking out early stops fetching', async () => {
  const { emulator, client } = setup({ maxAttempts: 1 });
  try {
    for (let i = 0; i < 4; i++) await client.createChannel({ name: `ch${i}` });
    const paginator = libivs.paginateListChannels({ client, pageSize: 1 }, {});
    let seen = 0;
    for await (const page of paginator) {
      seen += page.channels.length;
      break;
    }
    assert.equal(seen, 1);
    assert.deepEqual(await paginator.next(), { done: true, value: undefined });
    // Had the paginator fetched on, it would have used up this fault.
    emulator.injectFault({ operation: 'ListChannels', count: 1, status: 500 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(client.listChannels({}), InternalServerException);
  } finally {
    emulator.stop();
  }
});

test('errors surface from the iteration and end it', async () => {
  const { emulator, client } = setup({ maxAttempts: 1 });
  try {
    await assert.rejects(collect(libivs.paginateListStreamKeys({ client }, {})), ParamValidationError);
    await assert.rejects(
      collect(libivs.paginateListStreamKeys({ client }, { channelArn: 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234' })),
      ResourceNotFoundException,
    );
    await client.createChannel({ name: 'a' });
    await client.createChannel({ name: 'b' });
    const paginator = libivs.paginateListChannels({ client, pageSize: 1 }, {});
    assert.equal((await paginator.next()).value.channels[0].name, 'a');
    emulator.injectFault({ operation: 'ListChannels', count: 1, status: 500 });
    await assert.rejects(paginator.next(), InternalServerException);
    assert.equal((await paginator.next()).done, true);
  } finally {
    emulator.stop();
  }
});
