// Every error class and kind, through the real stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as libivs from '../index.mjs';
import { setup, closedPortUrl, MISSING_CHANNEL_ARN } from './helpers.mjs';

const { IvsClient, IvsError, IvsServiceException, ERRORS, ParamValidationError, CredentialsError,
  TimeoutError, NetworkError, ConfigError, InvalidArgumentError, InternalError,
  ResourceNotFoundException, ThrottlingException, InternalServerException, ServiceUnavailable,
  ValidationException, GetChannelCommand } = libivs;
const require = createRequire(import.meta.url);

const rejection = (promise) => promise.then(() => assert.fail('should have failed'), (e) => e);

test('a class per modeled error, under IvsServiceException and IvsError', () => {
  assert.equal(ERRORS.length, 11);
  for (const [name, status, fault] of ERRORS) {
    const cls = libivs[name];
    assert.equal(typeof cls, 'function', name);
    assert.equal(cls.name, name);
    assert.equal(cls.httpStatusCode, status);
    const error = new cls({ message: 'text', $metadata: { httpStatusCode: status } });
    assert.ok(error instanceof IvsServiceException && error instanceof IvsError && error instanceof Error);
    assert.equal(error.name, name);
    assert.equal(error.code, name);
    assert.equal(error.kind, 'service');
    assert.equal(error.$fault, fault);
    assert.equal(error.message, 'text');
    assert.equal(error.exceptionMessage, 'text');
    assert.deepEqual(error.$metadata, { httpStatusCode: status });
  }
  for (const cls of [ParamValidationError, CredentialsError, TimeoutError, NetworkError, ConfigError,
    InvalidArgumentError, InternalError]) {
    const error = new cls({ message: 'x' });
    assert.ok(error instanceof IvsError);
    assert.ok(!(error instanceof IvsServiceException));
    assert.equal(error.name, cls.name);
  }
});

test('service errors keep code, exceptionMessage, status, request id and fault', async () => {
  const { emulator, client } = setup();
  try {
    const error = await rejection(client.getChannel({ arn: MISSING_CHANNEL_ARN }));
    assert.ok(error instanceof ResourceNotFoundException);
    assert.ok(error instanceof IvsServiceException);
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.code, 'ResourceNotFoundException');
    assert.match(error.message, /not found/);
    assert.equal(error.exceptionMessage, error.message);
    assert.notEqual(error.message, 'UnknownError');
    assert.equal(error.$fault, 'client');
    assert.equal(error.retryable, false);
    assert.equal(error.$metadata.httpStatusCode, 404);
    assert.equal(error.$metadata.attempts, 1);
    assert.ok(error.$metadata.requestId.length >= 16);
    assert.ok(error.stack.includes('ResourceNotFoundException'));
  } finally {
    emulator.stop();
  }
});

test('server-side validation, throttling, 500 and 503 map to their classes', async () => {
  const { emulator, client } = setup({ maxAttempts: 1, validateInput: false });
  try {
    const invalid = await rejection(client.createChannel({ name: 'bad name!' }));
    assert.ok(invalid instanceof ValidationException, invalid.name);
    assert.equal(invalid.$metadata.httpStatusCode, 400);

    for (const [status, cls, fault] of [[429, ThrottlingException, 'client'], [500, InternalServerException, 'server'],
      [503, ServiceUnavailable, 'server']]) {
      emulator.injectFault({ operation: 'ListChannels', count: 1, status });
      const error = await rejection(client.listChannels({}));
      assert.ok(error instanceof cls, `${status}: ${error.name}`);
      assert.equal(error.$fault, fault);
      assert.equal(error.retryable, true);
      assert.equal(error.$metadata.httpStatusCode, status);
    }
    // The fault was used up: the next call works.
    assert.deepEqual((await client.listChannels({})).channels, []);
  } finally {
    emulator.stop();
  }
});

test('retries: a transient 503 is retried and $metadata.attempts counts it', async () => {
  const { emulator, client } = setup({ maxAttempts: 3 });
  try {
    emulator.injectFault({ operation: 'ListChannels', count: 1, status: 503 });
    const listed = await client.listChannels({});
    assert.equal(listed.$metadata.attempts, 2);
    emulator.injectFault({ operation: 'ListChannels', count: 5, status: 503 });
    const error = await rejection(client.listChannels({}));
    assert.equal(error.$metadata.attempts, 3);
  } finally {
    emulator.stop();
  }
});

test('errors the service did not model are IvsServiceExceptions named by their code', async () => {
  const { emulator } = setup();
  const client = new IvsClient({ ...emulator.clientConfig, credentials: { accessKeyId: 'other', secretAccessKey: 'x' } });
  try {
    const error = await rejection(client.listChannels({}));
    assert.ok(error instanceof IvsServiceException);
    assert.equal(error.constructor, IvsServiceException);
    assert.equal(error.name, 'UnrecognizedClientException');
    assert.equal(error.code, 'UnrecognizedClientException');
    assert.equal(error.$metadata.httpStatusCode, 403);
    assert.ok(!error.message.includes('"x"'), 'no secret in the message');
  } finally {
    emulator.stop();
  }
});

test('validation errors come before any request', async () => {
  const client = new IvsClient({ region: 'us-west-2', endpoint: await closedPortUrl(),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const error = await rejection(client.createRecordingConfiguration({ destinationConfiguration: { s3: {} }, bogus: 1 }));
  assert.ok(error instanceof ParamValidationError, error.name);
  assert.equal(error.kind, 'validation');
  assert.equal(error.code, 'ParamValidationError');
  assert.match(error.message, /bucketName/);
  assert.match(error.message, /bogus/);
  const secret = await rejection(client.putMetadata({ channelArn: 'x', metadata: 42 }));
  assert.ok(secret instanceof ParamValidationError);
  assert.ok(!secret.message.includes('42'), 'metadata is secret');
  assert.ok(await rejection(client.getChannel([1])) instanceof ParamValidationError);
  assert.ok(await rejection(client.getChannel('arn')) instanceof ParamValidationError);
});

test('network errors: nothing listening', async () => {
  const client = new IvsClient({ region: 'us-west-2', endpoint: await closedPortUrl(), maxAttempts: 1,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const error = await rejection(client.listChannels({}));
  assert.ok(error instanceof NetworkError, `${error.name}: ${error.message}`);
  assert.equal(error.kind, 'network');
  assert.equal(error.code, 'EndpointConnectionError');
  assert.equal(error.retryable, true);
});

test('network errors: the connection is reset', async () => {
  const { emulator, client } = setup({ maxAttempts: 1 });
  try {
    emulator.injectFault({ operation: 'GetChannel', count: 1, reset: true });
    const error = await rejection(client.getChannel({ arn: MISSING_CHANNEL_ARN }));
    assert.ok(error instanceof NetworkError, `${error.name}: ${error.message}`);
  } finally {
    emulator.stop();
  }
});

test('timeouts: requestTimeout and operationTimeout', async () => {
  const { emulator, client } = setup({ maxAttempts: 1, requestTimeout: 200 });
  try {
    emulator.injectFault({ operation: 'ListChannels', count: 1, delayMs: 2000 });
    const started = Date.now();
    const error = await rejection(client.listChannels({}));
    assert.ok(error instanceof TimeoutError, `${error.name}: ${error.message}`);
    assert.equal(error.kind, 'timeout');
    assert.equal(error.code, 'TimeoutError');
    assert.ok(Date.now() - started < 1500);
    const whole = new IvsClient({ ...emulator.clientConfig, operationTimeout: 200, maxAttempts: 1 });
    emulator.injectFault({ operation: 'ListChannels', count: 1, delayMs: 2000 });
    assert.ok(await rejection(whole.listChannels({})) instanceof TimeoutError);
  } finally {
    emulator.stop();
  }
});

test('credential errors: no credentials anywhere', () => {
  // A clean environment (no AWS_* variables, an empty HOME), so the default chain finds nothing.
  const home = mkdtempSync(join(tmpdir(), 'libivs-home-'));
  const script = `
    const { IvsClient, CredentialsError } = require(${JSON.stringify(require.resolve('../index.js'))});
    new IvsClient({ region: 'us-west-2', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 })
      .listChannels({})
      .then(() => console.log('resolved'), (e) => console.log(JSON.stringify([e instanceof CredentialsError, e.name, e.code, e.kind])));`;
  const env = { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };
  if (process.env.LIBIVS_NODE_BINARY) env.LIBIVS_NODE_BINARY = process.env.LIBIVS_NODE_BINARY;
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 20000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [true, 'CredentialsError', 'NoCredentialsError', 'credentials']);
});

test('config errors: thrown by the constructor or when the region is missing', async () => {
  for (const config of [{ retryMode: 'sometimes' }, { maxAttempts: 0 }, { region: 'us-west-2', endpoint: 42 },
    { credentials: { accessKeyId: 'only-half' } }]) {
    assert.throws(() => new IvsClient(config), (e) => e instanceof ConfigError && e.kind === 'config', JSON.stringify(config));
  }
  const home = mkdtempSync(join(tmpdir(), 'libivs-home-'));
  const script = `
    const { IvsClient, ConfigError } = require(${JSON.stringify(require.resolve('../index.js'))});
    new IvsClient({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }).listChannels({})
      .then(() => console.log('resolved'), (e) => console.log(JSON.stringify([e instanceof ConfigError, e.code])));`;
  const env = { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };
  if (process.env.LIBIVS_NODE_BINARY) env.LIBIVS_NODE_BINARY = process.env.LIBIVS_NODE_BINARY;
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 20000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [true, 'NoRegionError']);
});

test('invalid arguments: not a command, not a client', async () => {
  const { emulator, client } = setup();
  try {
    assert.ok(await rejection(client.send({ input: {} })) instanceof InvalidArgumentError);
    assert.ok(await rejection(client.send(null)) instanceof InvalidArgumentError);
    assert.throws(() => libivs.paginateListChannels({ client: {} }, {}), InvalidArgumentError);
    assert.ok(await rejection(libivs.getSignedUrl({}, new GetChannelCommand({ arn: 'x' }))) instanceof InvalidArgumentError);
  } finally {
    emulator.stop();
  }
});

test('a panic in the addon becomes an InternalError, never a crash', async (t) => {
  const { _native: native } = require('../index.js');
  if (!native.panicForTest) {
    // Release artifacts are built without the hook; `make test` requires it.
    assert.ok(!process.env.LIBIVS_EXPECT_TEST_HOOKS, 'built without --features test-hooks');
    return t.skip('this build has no test hooks (feature test-hooks)');
  }
  for (const place of ['task', 'start']) {
    const outcome = await native.panicForTest(place);
    assert.equal(outcome.error.kind, 'internal', place);
    assert.equal(outcome.error.code, 'InternalError', place);
  }
  assert.throws(() => native.panicForTest('sync'), /libivs:internal:InternalError/);
});

test('an aborted signal rejects with AbortError', async () => {
  const { emulator, client } = setup({ maxAttempts: 1 });
  try {
    emulator.injectFault({ operation: 'ListChannels', count: 1, delayMs: 1000 });
    const controller = new AbortController();
    const pending = client.listChannels({}, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    assert.equal(error.name, 'AbortError');
    assert.ok(error instanceof IvsError);
    const already = await rejection(client.listChannels({}, { abortSignal: AbortSignal.abort() }));
    assert.equal(already.name, 'AbortError');
  } finally {
    emulator.stop();
  }
});

test('aborting cancels the request itself: the connection is dropped', async () => {
  const net = await import('node:net');
  let connected;
  const accepted = new Promise((resolve) => { connected = resolve; });
  let closedSocket;
  const closed = new Promise((resolve) => { closedSocket = resolve; });
  // Accepts the request and never answers.
  const server = net.createServer((socket) => {
    socket.on('data', () => connected());
    socket.on('close', () => closedSocket());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new IvsClient({ region: 'us-west-2', endpoint: `http://127.0.0.1:${server.address().port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, requestTimeout: 30000 });
    const controller = new AbortController();
    const pending = client.listChannels({}, { abortSignal: controller.signal });
    await accepted;
    controller.abort();
    assert.equal((await rejection(pending)).name, 'AbortError');
    const dropped = await Promise.race([closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    assert.ok(dropped, 'the connection of the aborted request was closed');
  } finally {
    server.close();
  }
});

test('every modeled error through the whole stack, from a server that answers only that error', async () => {
  const http = await import('node:http');
  let answer = ['ResourceNotFoundException', 404];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const [code, status] = answer;
      response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': code,
        'x-amzn-requestid': '11111111-2222-3333-4444-555555555555' });
      response.end(JSON.stringify({ exceptionMessage: `the ${code} text` }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new IvsClient({ region: 'us-west-2', endpoint: `http://127.0.0.1:${server.address().port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    for (const [name, status, fault] of ERRORS) {
      answer = [name, status];
      const error = await rejection(client.getChannel({ arn: MISSING_CHANNEL_ARN }));
      assert.ok(error instanceof libivs[name], `${name}: got ${error.name} ${error.message}`);
      assert.ok(error instanceof IvsServiceException);
      assert.equal(error.name, name);
      assert.equal(error.code, name);
      assert.equal(error.message, `the ${name} text`);
      assert.equal(error.$fault, fault);
      assert.equal(error.$metadata.httpStatusCode, status);
      assert.equal(error.$metadata.requestId, '11111111-2222-3333-4444-555555555555');
    }
  } finally {
    server.close();
  }
});
