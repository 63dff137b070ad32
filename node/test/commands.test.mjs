// The command style, callbacks, presigning, destroy and the ESM/CommonJS entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esm from '../index.mjs';
import { setup } from './helpers.mjs';

const require = createRequire(import.meta.url);
const cjs = require('../index.js');
const { IvsClient, Ivs, IvsCommand, OPERATIONS, CreateChannelCommand, GetChannelCommand, ListChannelsCommand,
  DeleteChannelCommand, getSignedUrl, ResourceNotFoundException, ParamValidationError } = esm;

test('ESM and CommonJS export the same objects', () => {
  const names = Object.keys(cjs).sort();
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), names);
  for (const name of names) assert.equal(esm[name], cjs[name], name);
  assert.equal(esm.default, cjs);
  assert.equal(names.filter((n) => n.endsWith('Command') && n !== 'IvsCommand').length, 46);
  assert.equal(names.filter((n) => n.startsWith('paginate')).length, 9);
});

test('a *Command class per operation', () => {
  for (const [name] of OPERATIONS) {
    const cls = esm[`${name}Command`];
    assert.equal(cls.name, `${name}Command`);
    assert.equal(cls.operation, name);
    const command = new cls({ a: 1 });
    assert.ok(command instanceof IvsCommand);
    assert.deepEqual(command.input, { a: 1 });
  }
});

test('send(new XCommand(input)) and callbacks', async () => {
  const { emulator, client } = setup();
  try {
    const created = await client.send(new CreateChannelCommand({ name: 'cmd', latencyMode: 'LOW' }));
    assert.equal(created.channel.latencyMode, 'LOW');
    const got = await client.send(new GetChannelCommand({ arn: created.channel.arn }));
    assert.deepEqual(got.channel, created.channel);
    assert.equal((await client.send(new ListChannelsCommand())).channels.length, 1);
    await assert.rejects(client.send(new GetChannelCommand({})), ParamValidationError);
    const viaCallback = await new Promise((resolve, reject) =>
      client.send(new GetChannelCommand({ arn: created.channel.arn }), (err, data) => (err ? reject(err) : resolve(data))));
    assert.equal(viaCallback.channel.name, 'cmd');
    const methodCallback = await new Promise((resolve) =>
      client.getChannel({ arn: 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234' }, (err, data) => resolve([err, data])));
    assert.ok(methodCallback[0] instanceof ResourceNotFoundException);
    assert.equal(methodCallback[1], undefined);
    await client.send(new DeleteChannelCommand({ arn: created.channel.arn }));
    assert.equal((await client.listChannels()).channels.length, 0);
    // The SDK's aggregated class name works the same.
    const ivs = new Ivs(emulator.clientConfig);
    assert.ok(ivs instanceof IvsClient);
    assert.equal((await ivs.listChannels({})).channels.length, 0);
  } finally {
    emulator.stop();
  }
});

test('commands of @aws-sdk/client-ivs are accepted by send()', async () => {
  const sdk = require('@aws-sdk/client-ivs');
  const { emulator, client } = setup();
  try {
    const created = await client.send(new sdk.CreateChannelCommand({ name: 'from-sdk' }));
    assert.equal(created.channel.name, 'from-sdk');
  } finally {
    emulator.stop();
  }
});

test('getSignedUrl presigns a command that the emulator then serves', async () => {
  const { emulator, client } = setup();
  try {
    const created = await client.createChannel({ name: 'signed' });
    const url = await getSignedUrl(client, new GetChannelCommand({ arn: created.channel.arn }), { expiresIn: 60 });
    assert.ok(url.startsWith(`${emulator.url}/GetChannel?`), url);
    assert.match(url, /X-Amz-Expires=60/);
    assert.match(url, /X-Amz-Signature=[0-9a-f]{64}/);
    // GetChannel is a POST with the ARN in the body: the presigned URL carries only the signature.
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ arn: created.channel.arn }),
      headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal((await response.json()).channel.name, 'signed');
    const tampered = await fetch(url.replace(/X-Amz-Expires=60/, 'X-Amz-Expires=61'), { method: 'POST',
      body: JSON.stringify({ arn: created.channel.arn }), headers: { 'content-type': 'application/json' } });
    assert.equal(tampered.status, 403);
    await assert.rejects(getSignedUrl(client, new GetChannelCommand({ arn: 'x' }), { expiresIn: 0 }), ParamValidationError);
    await assert.rejects(getSignedUrl(client, new GetChannelCommand({ arn: 'x' }), { expiresIn: 8 * 86400 }), ParamValidationError);
  } finally {
    emulator.stop();
  }
});

test('configuration: providers, endpoint objects, env, destroy', async () => {
  const { emulator } = setup();
  try {
    const url = new URL(emulator.url);
    const client = new IvsClient({
      region: async () => 'us-west-2',
      endpoint: { protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/' },
      credentials: async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    });
    assert.equal(await client.config.region(), 'us-west-2');
    assert.equal((await client.createChannel({ name: 'p' })).channel.name, 'p');
    client.destroy();
    // Still usable after destroy: it reconnects.
    assert.equal((await client.listChannels({})).channels.length, 1);
    const withUrl = new IvsClient({ ...emulator.clientConfig, endpoint: url, requestHandler: { requestTimeout: 5000 } });
    assert.equal((await withUrl.listChannels({})).channels.length, 1);
  } finally {
    emulator.stop();
  }
});

test('the AWS environment: region, endpoint, credentials, max attempts from variables', async () => {
  const { emulator } = setup();
  try {
    emulator.injectFault({ operation: 'ListChannels', count: 1, status: 503 });
    const script = `
      const { IvsClient } = require(${JSON.stringify(require.resolve('../index.js'))});
      new IvsClient().listChannels({}).then((out) => console.log(JSON.stringify([out.channels.length, out.$metadata.attempts])),
        (e) => console.log(JSON.stringify([e.name, e.$metadata.attempts])));`;
    const env = {
      PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), 'libivs-home-')), AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: emulator.region, AWS_ENDPOINT_URL_IVS: emulator.url, AWS_ACCESS_KEY_ID: emulator.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.secretAccessKey, AWS_MAX_ATTEMPTS: '1',
    };
    if (process.env.LIBIVS_NODE_BINARY) env.LIBIVS_NODE_BINARY = process.env.LIBIVS_NODE_BINARY;
    const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 20000 });
    assert.equal(run.status, 0, run.stderr);
    // One attempt (AWS_MAX_ATTEMPTS=1) meets the injected 503; without it the retry would succeed.
    assert.deepEqual(JSON.parse(run.stdout), ['ServiceUnavailable', 1]);
    const again = spawnSync(process.execPath, ['-e', script], { env: { ...env, AWS_MAX_ATTEMPTS: '3' }, encoding: 'utf8', timeout: 20000 });
    assert.deepEqual(JSON.parse(again.stdout), [0, 1]);
  } finally {
    emulator.stop();
  }
});
