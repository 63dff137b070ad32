// Every IVS operation as a camelCase method, through the addon → core → aws-sdk-ivs → HTTP →
// the embedded emulator, asserting on what comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { OPERATIONS, IvsClient, ResourceNotFoundException, ConflictException,
  ServiceQuotaExceededException, ChannelNotBroadcasting } from '../index.mjs';
import { setup, publicKeyPem } from './helpers.mjs';

const require = createRequire(import.meta.url);

test('the generated operation table matches the core', () => {
  const core = JSON.parse(require('../index.js')._native.operations());
  assert.equal(OPERATIONS.length, 46);
  assert.deepEqual(
    OPERATIONS.map(([name, , input, output, paginator]) => [name, input, output, paginator]),
    core.map((op) => [op.name, op.inputShape, op.outputShape, op.paginator]),
  );
  for (const [name, method] of OPERATIONS) {
    assert.equal(typeof IvsClient.prototype[method], 'function', method);
    assert.equal(method, name[0].toLowerCase() + name.slice(1));
  }
});

test('all 46 operations against the emulator', async () => {
  const { emulator, client } = setup();
  const called = new Set();
  const ivs = new Proxy(client, {
    get(target, property) {
      const value = target[property];
      if (typeof value !== 'function') return value;
      return (...args) => {
        called.add(property);
        return value.apply(target, args);
      };
    },
  });
  const fails = async (promise, cls) => {
    const error = await promise.then(() => assert.fail('should have failed'), (e) => e);
    assert.ok(error instanceof cls, `${error.name}: ${error.message}`);
    return error;
  };
  try {
    // Resources a channel can refer to.
    const recording = (await ivs.createRecordingConfiguration({
      name: 'rec', destinationConfiguration: { s3: { bucketName: 'rec-bucket' } },
      thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 30 },
      recordingReconnectWindowSeconds: 60,
    })).recordingConfiguration;
    assert.match(recording.arn, /^arn:aws:ivs:us-west-2:123456789012:recording-configuration\//);
    assert.equal(recording.state, 'ACTIVE');
    assert.equal(recording.destinationConfiguration.s3.bucketName, 'rec-bucket');
    assert.equal((await ivs.getRecordingConfiguration({ arn: recording.arn })).recordingConfiguration.name, 'rec');
    assert.equal((await ivs.listRecordingConfigurations({})).recordingConfigurations[0].arn, recording.arn);

    const policy = (await ivs.createPlaybackRestrictionPolicy({
      name: 'policy', allowedCountries: ['US', 'CA'], allowedOrigins: ['https://example.com'],
    })).playbackRestrictionPolicy;
    const updatedPolicy = await ivs.updatePlaybackRestrictionPolicy({
      arn: policy.arn, allowedCountries: ['GB'], enableStrictOriginEnforcement: true,
    });
    assert.deepEqual(updatedPolicy.playbackRestrictionPolicy.allowedCountries, ['GB']);
    assert.equal(updatedPolicy.playbackRestrictionPolicy.enableStrictOriginEnforcement, true);
    assert.equal((await ivs.getPlaybackRestrictionPolicy({ arn: policy.arn })).playbackRestrictionPolicy.name, 'policy');
    assert.equal((await ivs.listPlaybackRestrictionPolicies()).playbackRestrictionPolicies.length, 1);

    const mediaTailor = 'arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/demo';
    const ad = (await ivs.createAdConfiguration({
      name: 'ads', mediaTailorPlaybackConfigurations: [{ playbackConfigurationArn: mediaTailor }],
    })).adConfiguration;
    assert.equal((await ivs.updateAdConfiguration({ arn: ad.arn, name: 'ads2' })).adConfiguration.name, 'ads2');
    const gotAd = await ivs.getAdConfiguration({ arn: ad.arn });
    assert.equal(gotAd.adConfiguration.mediaTailorPlaybackConfigurations[0].playbackConfigurationArn, mediaTailor);
    assert.equal((await ivs.listAdConfigurations({})).adConfigurations[0].arn, ad.arn);

    const slate = (await ivs.createFailoverSlateConfiguration({ name: 'slate', activationThresholdSeconds: 3 })).failoverSlateConfiguration;
    const updatedSlate = await ivs.updateFailoverSlateConfiguration({ arn: slate.arn, activationThresholdSeconds: 5 });
    assert.equal(updatedSlate.failoverSlateConfiguration.activationThresholdSeconds, 5);
    assert.equal((await ivs.getFailoverSlateConfiguration({ arn: slate.arn })).failoverSlateConfiguration.name, 'slate');
    assert.equal((await ivs.listFailoverSlateConfigurations({})).failoverSlateConfigurations.length, 1);

    // A channel and its stream key.
    const created = await ivs.createChannel({
      name: 'main', latencyMode: 'NORMAL', type: 'STANDARD', recordingConfigurationArn: recording.arn,
      playbackRestrictionPolicyArn: policy.arn, adConfigurationArn: ad.arn, tags: { team: 'video' },
    });
    assert.equal(created.$metadata.httpStatusCode, 200);
    assert.equal(created.$metadata.attempts, 1);
    assert.ok(created.$metadata.requestId.length >= 16);
    const channel = created.channel;
    assert.match(channel.arn, /^arn:aws:ivs:us-west-2:123456789012:channel\//);
    assert.equal(channel.latencyMode, 'NORMAL');
    assert.deepEqual(channel.tags, { team: 'video' });
    assert.match(channel.playbackUrl, /\.m3u8$/);
    const key = created.streamKey;
    assert.match(key.value, /^sk_us-west-2_/);
    assert.equal(key.channelArn, channel.arn);

    assert.equal((await ivs.getChannel({ arn: channel.arn })).channel.name, 'main');
    const renamed = await ivs.updateChannel({ arn: channel.arn, name: 'renamed', latencyMode: 'LOW' });
    assert.equal(renamed.channel.name, 'renamed');
    assert.equal(renamed.channel.latencyMode, 'LOW');
    assert.equal((await ivs.listChannels({ filterByName: 'renamed' })).channels[0].arn, channel.arn);
    const missing = channel.arn.replace('/', '/x');
    const batch = await ivs.batchGetChannel({ arns: [channel.arn, missing] });
    assert.equal(batch.channels.length, 1);
    assert.equal(batch.errors[0].arn, missing);
    assert.equal(batch.errors[0].code, 'ResourceNotFoundException');

    assert.equal((await ivs.getStreamKey({ arn: key.arn })).streamKey.value, key.value);
    const keys = await ivs.listStreamKeys({ channelArn: channel.arn });
    assert.equal(keys.streamKeys[0].arn, key.arn);
    assert.equal(keys.streamKeys[0].value, undefined);
    assert.equal((await ivs.batchGetStreamKey({ arns: [key.arn] })).streamKeys[0].value, key.value);
    const quota = await fails(ivs.createStreamKey({ channelArn: channel.arn }), ServiceQuotaExceededException);
    assert.equal(quota.$metadata.httpStatusCode, 402);
    const deletedKey = await ivs.deleteStreamKey({ arn: key.arn });
    assert.deepEqual(Object.keys(deletedKey), ['$metadata']);
    assert.equal(deletedKey.$metadata.httpStatusCode, 204);
    const replaced = (await ivs.createStreamKey({ channelArn: channel.arn })).streamKey;
    assert.notEqual(replaced.arn, key.arn);

    // Tags.
    await ivs.tagResource({ resourceArn: channel.arn, tags: { env: 'test', tier: 'gold' } });
    await ivs.untagResource({ resourceArn: channel.arn, tagKeys: ['tier'] });
    assert.deepEqual((await ivs.listTagsForResource({ resourceArn: channel.arn })).tags, { env: 'test', team: 'video' });

    // Playback key pairs.
    const pem = publicKeyPem();
    const pair = (await ivs.importPlaybackKeyPair({ publicKeyMaterial: pem, name: 'kp' })).keyPair;
    assert.ok(pair.fingerprint.length > 0);
    await fails(ivs.importPlaybackKeyPair({ publicKeyMaterial: pem }), ConflictException);
    assert.equal((await ivs.getPlaybackKeyPair({ arn: pair.arn })).keyPair.name, 'kp');
    assert.equal((await ivs.listPlaybackKeyPairs({})).keyPairs[0].arn, pair.arn);
    await ivs.deletePlaybackKeyPair({ arn: pair.arn });

    // Streams, driven by the emulator's simulated broadcaster.
    const offline = await fails(ivs.getStream({ channelArn: channel.arn }), ChannelNotBroadcasting);
    assert.equal(offline.$metadata.httpStatusCode, 404);
    assert.ok(offline.message.length > 0, "IVS's exceptionMessage is the message");
    const before = Date.now();
    const started = emulator.startStream(replaced.value);
    const stream = (await ivs.getStream({ channelArn: channel.arn })).stream;
    assert.equal(stream.state, 'LIVE');
    assert.equal(stream.streamId, started.streamId);
    assert.ok(stream.startTime instanceof Date, 'timestamps are Dates');
    assert.ok(Math.abs(stream.startTime.getTime() - before) < 5000);
    const streams = await ivs.listStreams({ filterBy: { health: 'HEALTHY' } });
    assert.equal(streams.streams[0].channelArn, channel.arn);
    assert.ok(streams.streams[0].startTime instanceof Date);
    const session = (await ivs.getStreamSession({ channelArn: channel.arn })).streamSession;
    assert.equal(session.streamId, started.streamId);
    assert.equal(session.channel.arn, channel.arn);
    assert.ok(session.startTime instanceof Date);
    assert.ok(session.truncatedEvents.every((e) => e.eventTime instanceof Date));
    const sessions = await ivs.listStreamSessions({ channelArn: channel.arn });
    assert.equal(sessions.streamSessions[0].streamId, started.streamId);
    const put = await ivs.putMetadata({ channelArn: channel.arn, metadata: '{"score": 1}' });
    assert.equal(put.$metadata.httpStatusCode, 204);
    const adBreak = await ivs.insertAdBreak({ channelArn: channel.arn, durationSeconds: 30 });
    assert.equal(adBreak.adBreakId.length, 12);
    assert.ok(adBreak.targetStartAt === undefined || adBreak.targetStartAt instanceof Date);
    await ivs.startViewerSessionRevocation({ channelArn: channel.arn, viewerId: 'viewer-1' });
    const revoked = await ivs.batchStartViewerSessionRevocation({
      viewerSessions: [{ channelArn: channel.arn, viewerId: 'viewer-2', viewerSessionVersionsLessThanOrEqualTo: 3 }],
    });
    assert.deepEqual(revoked.errors, []);
    await ivs.stopStream({ channelArn: channel.arn });
    const ended = (await ivs.getStreamSession({ channelArn: channel.arn })).streamSession;
    assert.ok(ended.endTime instanceof Date);
    assert.ok(ended.endTime >= ended.startTime);

    // In use → Conflict; then delete everything.
    await fails(ivs.deleteRecordingConfiguration({ arn: recording.arn }), ConflictException);
    const deleted = await ivs.deleteChannel({ arn: channel.arn });
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await fails(ivs.getStreamKey({ arn: replaced.arn }), ResourceNotFoundException);
    await ivs.deleteRecordingConfiguration({ arn: recording.arn });
    await ivs.deletePlaybackRestrictionPolicy({ arn: policy.arn });
    await ivs.deleteAdConfiguration({ arn: ad.arn });
    await ivs.deleteFailoverSlateConfiguration({ arn: slate.arn });
    assert.deepEqual((await ivs.listChannels({})).channels, []);

    const missed = OPERATIONS.map(([, method]) => method).filter((m) => !called.has(m));
    assert.deepEqual(missed, [], 'every operation is exercised');
  } finally {
    emulator.stop();
  }
});

test('Date inputs are sent as ISO-8601 and undefined members are left out', async () => {
  const { emulator, client } = setup();
  try {
    // No IVS input is a timestamp; a Date where a string is expected arrives as its ISO text.
    const created = await client.createChannel({ name: undefined, tags: { when: new Date(Date.UTC(2026, 0, 2)) } });
    assert.equal(created.channel.tags.when, '2026-01-02T00:00:00.000Z');
    assert.equal(created.channel.name, '');
  } finally {
    emulator.stop();
  }
});
