// The embedded emulator helper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IvsClient, startEmulator, Emulator, InvalidArgumentError, ThrottlingException, ChannelNotBroadcasting } from '../index.mjs';

test('startEmulator() → url, clientConfig, startStream, stopStream, injectFault, reset, stop', async () => {
  const emulator = startEmulator();
  assert.ok(emulator instanceof Emulator);
  assert.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(emulator.region, 'us-west-2');
  assert.equal(emulator.accountId, '123456789012');
  assert.equal(emulator.accessKeyId, 'test');
  assert.ok(!JSON.stringify(emulator).includes('secretAccessKey'), 'the secret is not enumerable');
  const health = await fetch(`${emulator.url}/_emulator/health`);
  assert.deepEqual(await health.json(), { status: 'ok' });

  const client = new IvsClient({ ...emulator.clientConfig, maxAttempts: 1 });
  const created = await client.createChannel({ name: 'live' });
  const started = emulator.startStream(created.streamKey.value);
  assert.equal(started.channelArn, created.channel.arn);
  assert.ok(started.streamId.startsWith('st-'), started.streamId);
  assert.equal((await client.getStream({ channelArn: created.channel.arn })).stream.state, 'LIVE');
  assert.throws(() => emulator.startStream(created.streamKey.value), (e) => e instanceof InvalidArgumentError && e.code === 'EmulatorError');
  assert.throws(() => emulator.startStream('sk_us-west-2_nope'), InvalidArgumentError);
  emulator.stopStream(created.channel.arn);
  await assert.rejects(client.getStream({ channelArn: created.channel.arn }), ChannelNotBroadcasting);

  emulator.injectFault({ operation: 'GetChannel', status: 429 });
  await assert.rejects(client.getChannel({ arn: created.channel.arn }), ThrottlingException);
  assert.equal((await client.getChannel({ arn: created.channel.arn })).channel.name, 'live');
  assert.throws(() => emulator.injectFault({ operation: 'GetChannel' }), InvalidArgumentError);

  emulator.reset();
  assert.deepEqual((await client.listChannels({})).channels, []);
  emulator.stop();
  emulator.stop();
  assert.throws(() => emulator.reset(), InvalidArgumentError);
  await assert.rejects(client.listChannels({}), (e) => e.kind === 'network');
});

test('options: a fixed port, another region and key pair', async () => {
  const emulator = startEmulator({ region: 'eu-west-1', accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret', accountId: '111122223333' });
  try {
    const client = new IvsClient(emulator.clientConfig);
    const created = await client.createChannel({ name: 'eu' });
    assert.match(created.channel.arn, /^arn:aws:ivs:eu-west-1:111122223333:channel\//);
    const wrong = new IvsClient({ ...emulator.clientConfig, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'nope' } });
    await assert.rejects(wrong.listChannels({}), (e) => e.name === 'InvalidSignatureException');
  } finally {
    emulator.stop();
  }
});
