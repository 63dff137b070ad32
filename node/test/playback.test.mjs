// Private channels end to end in Node: tokens signed by libivs play a private channel on the
// emulator; wrong keys, expired tokens, other channels and revoked sessions are refused; and
// libivs tokens interoperate with `jose` (an independent JWT implementation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import {
  generatePlaybackKeyPair,
  signPlaybackToken,
  verifyPlaybackToken,
  PlaybackTokenError,
  InvalidArgumentError,
} from '../index.mjs';
import { setup } from './helpers.mjs';

let emulator;
let client;
let keys;
const channels = [];

before(async () => {
  ({ emulator, client } = setup());
  keys = generatePlaybackKeyPair();
  await client.importPlaybackKeyPair({ publicKeyMaterial: keys.publicKeyPem, name: 'viewers' });
  for (const name of ['private', 'other']) {
    const { channel, streamKey } = await client.createChannel({ name, authorized: true });
    emulator.startStream(streamKey.value);
    channels.push({ arn: channel.arn, url: emulator.playbackUrl(channel.playbackUrl) });
  }
});

after(() => {
  client.destroy();
  emulator.stop();
});

async function play(url, token) {
  const response = await fetch(token ? `${url}?token=${token}` : url);
  const body = await response.text();
  if (response.status === 200) assert.ok(body.startsWith('#EXTM3U'));
  return response.status;
}

test('a signed token plays a private channel; bad tokens are refused', async () => {
  const [{ arn, url }, other] = channels;
  const token = signPlaybackToken(keys.privateKeyPem, { channelArn: arn, expiresIn: 300 });
  assert.equal(verifyPlaybackToken(keys.publicKeyPem, token)['aws:channel-arn'], arn);
  assert.equal(await play(url, token), 200);
  assert.equal(await play(url), 403);
  const stranger = generatePlaybackKeyPair();
  assert.equal(await play(url, signPlaybackToken(stranger.privateKeyPem, { channelArn: arn })), 403);
  const expired = signPlaybackToken(keys.privateKeyPem, { channelArn: arn, expiresAt: new Date(1_000_000_000_000) });
  assert.equal(await play(url, expired), 403);
  const forOther = signPlaybackToken(keys.privateKeyPem, { channelArn: other.arn });
  assert.equal(await play(url, forOther), 403);
  assert.equal(await play(other.url, forOther), 200);
});

test('a revoked viewer session is refused', async () => {
  const [{ arn, url }] = channels;
  const viewer = (version) =>
    signPlaybackToken(keys.privateKeyPem, { channelArn: arn, viewerId: 'viewer-5', viewerSessionVersion: version, expiresIn: 120 });
  assert.equal(await play(url, viewer(1)), 200);
  await client.startViewerSessionRevocation({ channelArn: arn, viewerId: 'viewer-5', viewerSessionVersionsLessThanOrEqualTo: 1 });
  assert.equal(await play(url, viewer(1)), 403);
  assert.equal(await play(url, viewer(2)), 200);
});

test('tokens interoperate with jose', async () => {
  const [{ arn, url }] = channels;
  const token = signPlaybackToken(keys.privateKeyPem, { channelArn: arn, viewerId: 'v1', expiresIn: 60 });
  const publicKey = await jose.importSPKI(keys.publicKeyPem, 'ES384');
  const { payload, protectedHeader } = await jose.jwtVerify(token, publicKey, { algorithms: ['ES384'] });
  assert.deepEqual(protectedHeader, { alg: 'ES384', typ: 'JWT' });
  assert.equal(payload['aws:channel-arn'], arn);
  const lifetime = payload.exp - Date.now() / 1000;
  assert.ok(lifetime > 0 && lifetime <= 61, 'exp is in seconds');

  const privateKey = await jose.importPKCS8(keys.privateKeyPem, 'ES384');
  const foreign = await new jose.SignJWT({ 'aws:channel-arn': arn })
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT' })
    .setExpirationTime('1m')
    .sign(privateKey);
  assert.equal(await play(url, foreign), 200);
  assert.equal(verifyPlaybackToken(keys.publicKeyPem, foreign)['aws:channel-arn'], arn);
});

test('bad keys, claims and tokens are typed errors without secrets', () => {
  const [{ arn }] = channels;
  assert.throws(
    () => signPlaybackToken('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----', { channelArn: arn }),
    (error) => error instanceof PlaybackTokenError && error instanceof InvalidArgumentError &&
      error.code === 'InvalidPlaybackKey' && !error.message.includes('nope'),
  );
  assert.throws(
    () => signPlaybackToken(keys.privateKeyPem, { channelArn: arn, viewerId: 'v'.repeat(41) }),
    (error) => error instanceof PlaybackTokenError && error.code === 'InvalidPlaybackClaims',
  );
  const token = signPlaybackToken(keys.privateKeyPem, { channelArn: arn });
  assert.throws(
    () => verifyPlaybackToken(generatePlaybackKeyPair().publicKeyPem, token),
    (error) => error instanceof PlaybackTokenError && error.code === 'PlaybackTokenSignatureMismatch',
  );
  assert.ok(!JSON.stringify(keys).includes('PRIVATE KEY'));
});
