// The JS SDK's shapes that code written for @aws-sdk/client-ivs reads: the async resolved-config
// functions and `$response` on service errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IvsClient, ResourceNotFoundException, CredentialsError } from '../index.mjs';
import { setup, MISSING_CHANNEL_ARN } from './helpers.mjs';

test('client.config.region(), endpoint() and credentials() are async, as in the JS SDK', async () => {
  const { emulator, client } = setup();
  try {
    assert.equal(await client.config.region(), 'us-west-2');
    const endpoint = await client.config.endpoint();
    const url = new URL(emulator.clientConfig.endpoint);
    assert.deepEqual(endpoint, {
      protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {},
    });
    const credentials = await client.config.credentials();
    assert.equal(credentials.accessKeyId, emulator.clientConfig.credentials.accessKeyId);
    const provided = new IvsClient({
      region: async () => 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'AKIDPROVIDED', secretAccessKey: 'secret' }),
    });
    assert.equal((await provided.config.credentials()).accessKeyId, 'AKIDPROVIDED');
    assert.deepEqual(await provided.config.endpoint(), {
      protocol: 'https:', hostname: 'ivs.eu-west-1.amazonaws.com', port: undefined, path: '/', query: {},
    });
    const chain = new IvsClient({ region: 'us-west-2' });
    await assert.rejects(chain.config.credentials(), CredentialsError);
  } finally {
    client.destroy();
    emulator.stop();
  }
});

test('service errors carry $response with the status and headers', async () => {
  const { emulator, client } = setup();
  try {
    const error = await client.getChannel({ arn: MISSING_CHANNEL_ARN }).catch((e) => e);
    assert.ok(error instanceof ResourceNotFoundException);
    assert.equal(error.$response.statusCode, 404);
    assert.equal(error.$response.headers['x-amzn-requestid'], error.$metadata.requestId);
    assert.match(error.$response.headers['content-type'] ?? '', /json/);
  } finally {
    client.destroy();
    emulator.stop();
  }
});
