// Members the model binds to HTTP headers: the batch operations' CORS and security headers and
// every modeled error's, returned as @aws-sdk/client-ivs returns them against the same emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ResourceNotFoundException } from '../index.mjs';
import { setup, MISSING_CHANNEL_ARN } from './helpers.mjs';

const require = createRequire(import.meta.url);
const sdk = require('@aws-sdk/client-ivs');

/** member -> the emulator's value (IVS's). */
const HEADER_MEMBERS = {
  accessControlAllowOrigin: '*',
  accessControlExposeHeaders: 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
  cacheControl: 'no-store, no-cache, must-revalidate',
  contentSecurityPolicy: 'upgrade-insecure-requests',
  strictTransportSecurity: 'max-age=47304000; includeSubDomains',
  xContentTypeOptions: 'nosniff',
  xFrameOptions: 'DENY',
};

const pick = (value, names) => Object.fromEntries(names.filter((n) => n in value).map((n) => [n, value[n]]));

test('batch operations return their header members, as the JS SDK does', async () => {
  const { emulator, client } = setup();
  const theirs = new sdk.IvsClient(emulator.clientConfig);
  try {
    const { channel, streamKey } = await client.createChannel({ name: 'headers' });
    const calls = [
      ['BatchGetChannel', { arns: [channel.arn] }],
      ['BatchGetStreamKey', { arns: [streamKey.arn] }],
      ['BatchStartViewerSessionRevocation', { viewerSessions: [{ channelArn: channel.arn, viewerId: 'v1' }] }],
    ];
    const names = Object.keys(HEADER_MEMBERS);
    for (const [operation, input] of calls) {
      const mine = await client[operation[0].toLowerCase() + operation.slice(1)](input);
      const other = await theirs.send(new sdk[`${operation}Command`](input));
      assert.deepEqual(pick(mine, names), HEADER_MEMBERS, operation);
      assert.deepEqual(pick(other, names), HEADER_MEMBERS, operation);
    }
    const got = await client.getChannel({ arn: channel.arn });
    assert.deepEqual(pick(got, names), {});
  } finally {
    theirs.destroy();
    emulator.stop();
  }
});

test('modeled errors carry their header members, as the JS SDK sets them', async () => {
  const { emulator, client } = setup();
  const theirs = new sdk.IvsClient(emulator.clientConfig);
  try {
    const expected = { ...HEADER_MEMBERS, xAmznErrorType: 'ResourceNotFoundException' };
    const names = Object.keys(expected);
    const mine = await client.getChannel({ arn: MISSING_CHANNEL_ARN }).catch((e) => e);
    const other = await theirs.send(new sdk.GetChannelCommand({ arn: MISSING_CHANNEL_ARN })).catch((e) => e);
    assert.ok(mine instanceof ResourceNotFoundException, String(mine));
    assert.ok(other instanceof sdk.ResourceNotFoundException, String(other));
    assert.deepEqual(pick(mine, names), expected);
    assert.deepEqual(pick(other, names), expected);
  } finally {
    theirs.destroy();
    emulator.stop();
  }
});
