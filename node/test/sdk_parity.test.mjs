// @aws-sdk/client-ivs and libivs against the same emulator return the same data, for every
// operation the SDK has (41 of the 46).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as libivs from '../index.mjs';
import { setup, publicKeyPem } from './helpers.mjs';

const require = createRequire(import.meta.url);
const sdk = require('@aws-sdk/client-ivs');

/** Newer than @aws-sdk/client-ivs 3.1136's model: the SDK drops these members when it parses. */
const NEWER_THAN_SDK = new Set(['failoverSlateConfigurationArn', 'targetStartAt']);

function sdkKnown(value) {
  if (Array.isArray(value)) return value.map(sdkKnown);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !NEWER_THAN_SDK.has(k)).map(([k, v]) => [k, sdkKnown(v)]));
  }
  return value;
}

/** Everything but `$metadata`; header-bound members (the batch operations' Access-Control-*,
 * Cache-Control...) are compared too: both clients return them from the emulator's headers. */
const withoutMetadata = ({ $metadata, ...rest }) => sdkKnown(rest);

/** Masks what differs between two resources made from the same input (ARNs, ids, keys, times). */
function masked(value, key = '') {
  if (value instanceof Date) return 'DATE';
  if (Array.isArray(value)) return value.map((v) => masked(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k)]));
  }
  if (typeof value === 'string' && /^(arn|value|fingerprint|streamId|adBreakId|ingestEndpoint|playbackUrl|endpoint|passphrase|resourceArn)$|Arn$/.test(key)) {
    return 'MASKED';
  }
  return value;
}

test('the SDK has 41 of the 46 operations and libivs has them all', () => {
  const sdkOperations = Object.keys(sdk).filter((k) => k.endsWith('Command') && k !== 'Command' && k !== '$Command').map((k) => k.slice(0, -7));
  const ours = libivs.OPERATIONS.map(([name]) => name);
  assert.equal(sdkOperations.filter((op) => ours.includes(op)).length, 41);
  assert.deepEqual(sdkOperations.filter((op) => !ours.includes(op)), []);
});

test('same emulator, same data: libivs vs @aws-sdk/client-ivs', async () => {
  const { emulator, client } = setup();
  const theirs = new sdk.IvsClient(emulator.clientConfig);
  const covered = new Set();
  /** The same call through both clients; answers [ours, theirs] without $metadata. */
  async function both(operation, input, sdkInput = input) {
    covered.add(operation);
    const method = operation[0].toLowerCase() + operation.slice(1);
    const mine = await client[method](structuredClone(input));
    const other = await theirs.send(new sdk[`${operation}Command`](structuredClone(sdkInput)));
    assert.equal(mine.$metadata.httpStatusCode, other.$metadata.httpStatusCode, operation);
    assert.equal(mine.$metadata.attempts, other.$metadata.attempts, operation);
    return [withoutMetadata(mine), withoutMetadata(other)];
  }
  const same = async (operation, input) => {
    const [mine, other] = await both(operation, input);
    assert.deepEqual(mine, other, operation);
    return mine;
  };
  const alike = async (operation, input, sdkInput) => {
    const [mine, other] = await both(operation, input, sdkInput);
    assert.deepEqual(masked(mine), masked(other), operation);
    return [mine, other];
  };
  try {
    // Writes: the same input through each client, compared with identifiers masked.
    const [rec, recSdk] = await alike('CreateRecordingConfiguration', { name: 'rec', destinationConfiguration: { s3: { bucketName: 'bucket-b' } },
      thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 30 } });
    const [policy, policySdk] = await alike('CreatePlaybackRestrictionPolicy', { name: 'p', allowedCountries: ['US'] });
    await alike('UpdatePlaybackRestrictionPolicy', { arn: policy.playbackRestrictionPolicy.arn, allowedOrigins: ['https://a.example'] },
      { arn: policySdk.playbackRestrictionPolicy.arn, allowedOrigins: ['https://a.example'] });
    const mediaTailor = [{ playbackConfigurationArn: 'arn:aws:mediatailor:us-west-2:123456789012:playbackConfiguration/x' }];
    const [ad, adSdk] = await alike('CreateAdConfiguration', { name: 'ad', mediaTailorPlaybackConfigurations: mediaTailor });
    await alike('UpdateAdConfiguration', { arn: ad.adConfiguration.arn, name: 'ad2' }, { arn: adSdk.adConfiguration.arn, name: 'ad2' });
    const [ch, chSdk] = await alike('CreateChannel', { name: 'c', latencyMode: 'LOW', tags: { a: 'b' } });
    await alike('UpdateChannel', { arn: ch.channel.arn, name: 'c2', adConfigurationArn: ad.adConfiguration.arn },
      { arn: chSdk.channel.arn, name: 'c2', adConfigurationArn: adSdk.adConfiguration.arn });
    await alike('DeleteStreamKey', { arn: ch.streamKey.arn }, { arn: chSdk.streamKey.arn });
    const [key, keySdk] = await alike('CreateStreamKey', { channelArn: ch.channel.arn }, { channelArn: chSdk.channel.arn });
    await alike('TagResource', { resourceArn: ch.channel.arn, tags: { x: 'y' } }, { resourceArn: chSdk.channel.arn, tags: { x: 'y' } });
    await alike('UntagResource', { resourceArn: ch.channel.arn, tagKeys: ['a'] }, { resourceArn: chSdk.channel.arn, tagKeys: ['a'] });
    const [pair, pairSdk] = await alike('ImportPlaybackKeyPair', { publicKeyMaterial: publicKeyPem(), name: 'kp' },
      { publicKeyMaterial: publicKeyPem(), name: 'kp' });

    // Reads of the same resources: identical.
    for (const [arn] of [[ch.channel.arn], [chSdk.channel.arn]]) await same('GetChannel', { arn });
    await same('BatchGetChannel', { arns: [ch.channel.arn, chSdk.channel.arn, 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234'] });
    await same('ListChannels', {});
    await same('ListChannels', { filterByName: 'c2', maxResults: 1 });
    await same('GetStreamKey', { arn: key.streamKey.arn });
    await same('BatchGetStreamKey', { arns: [key.streamKey.arn, keySdk.streamKey.arn] });
    await same('ListStreamKeys', { channelArn: ch.channel.arn });
    await same('ListTagsForResource', { resourceArn: chSdk.channel.arn });
    await same('GetPlaybackKeyPair', { arn: pair.keyPair.arn });
    await same('ListPlaybackKeyPairs', {});
    await same('GetRecordingConfiguration', { arn: rec.recordingConfiguration.arn });
    await same('ListRecordingConfigurations', {});
    await same('GetPlaybackRestrictionPolicy', { arn: policySdk.playbackRestrictionPolicy.arn });
    await same('ListPlaybackRestrictionPolicies', {});
    await same('GetAdConfiguration', { arn: ad.adConfiguration.arn });
    await same('ListAdConfigurations', {});

    // Streams.
    emulator.startStream(key.streamKey.value);
    emulator.startStream(keySdk.streamKey.value);
    const live = await same('GetStream', { channelArn: ch.channel.arn });
    assert.ok(live.stream.startTime instanceof Date);
    await same('ListStreams', {});
    const session = await same('GetStreamSession', { channelArn: chSdk.channel.arn });
    assert.ok(session.streamSession.startTime instanceof Date);
    await same('ListStreamSessions', { channelArn: ch.channel.arn });
    await alike('PutMetadata', { channelArn: ch.channel.arn, metadata: 'hello' }, { channelArn: chSdk.channel.arn, metadata: 'hello' });
    const [adBreak, adBreakSdk] = await alike('InsertAdBreak', { channelArn: ch.channel.arn, durationSeconds: 10 },
      { channelArn: chSdk.channel.arn, durationSeconds: 10 });
    assert.equal(adBreak.adBreakId.length, adBreakSdk.adBreakId.length);
    await alike('StartViewerSessionRevocation', { channelArn: ch.channel.arn, viewerId: 'v' }, { channelArn: chSdk.channel.arn, viewerId: 'v' });
    await alike('BatchStartViewerSessionRevocation', { viewerSessions: [{ channelArn: ch.channel.arn, viewerId: 'v2' }] },
      { viewerSessions: [{ channelArn: chSdk.channel.arn, viewerId: 'v2' }] });
    await alike('StopStream', { channelArn: ch.channel.arn }, { channelArn: chSdk.channel.arn });
    await same('GetStreamSession', { channelArn: ch.channel.arn, streamId: live.stream.streamId });

    // Deletes.
    await alike('DeletePlaybackKeyPair', { arn: pair.keyPair.arn }, { arn: pairSdk.keyPair.arn });
    await alike('DeleteChannel', { arn: ch.channel.arn }, { arn: chSdk.channel.arn });
    await alike('DeleteRecordingConfiguration', { arn: rec.recordingConfiguration.arn }, { arn: recSdk.recordingConfiguration.arn });
    await alike('DeletePlaybackRestrictionPolicy', { arn: policy.playbackRestrictionPolicy.arn }, { arn: policySdk.playbackRestrictionPolicy.arn });
    await alike('DeleteAdConfiguration', { arn: ad.adConfiguration.arn }, { arn: adSdk.adConfiguration.arn });
    await same('ListChannels', {});

    // Errors: the same class name and status; libivs keeps IVS's message.
    const missing = { arn: 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234' };
    const mine = await client.getChannel(missing).catch((e) => e);
    const other = await theirs.send(new sdk.GetChannelCommand(missing)).catch((e) => e);
    assert.equal(mine.name, other.name);
    assert.equal(mine.$fault, other.$fault);
    assert.equal(mine.$metadata.httpStatusCode, other.$metadata.httpStatusCode);
    assert.equal(mine.$metadata.requestId.length, other.$metadata.requestId.length);
    assert.match(mine.message, /not found/);

    const sdkOperations = Object.keys(sdk).filter((k) => k.endsWith('Command') && k !== 'Command' && k !== '$Command').map((k) => k.slice(0, -7));
    assert.deepEqual(sdkOperations.filter((op) => !covered.has(op)), [], 'every SDK operation compared');
  } finally {
    theirs.destroy();
    emulator.stop();
  }
});
