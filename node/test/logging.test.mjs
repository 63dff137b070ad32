// A client's `logger` and OpenTelemetry spans, through the addon, the core, aws-sdk-ivs and HTTP
// to the emulator: a call, a retried call and a failed call; no secret at trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IvsClient, startEmulator } from '../index.mjs';
import { MISSING_CHANNEL_ARN } from './helpers.mjs';

const SECRET = 'SENTINEL-node-log-secret-key-0001';
const TOKEN = 'SENTINEL-node-log-session-token-0002';
const METADATA = 'SENTINEL-node-log-metadata-0003';

/** A JS SDK-style logger that keeps what it is given. */
function collector({ withTrace = false } = {}) {
  const records = [];
  const keep = (level) => (message, fields) => records.push({ level, message, fields });
  const logger = { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
  if (withTrace) logger.trace = keep('trace');
  return { logger, records, of: (name) => records.filter((r) => r.fields.logger === name) };
}

const emulator = startEmulator({ secretAccessKey: SECRET });

test('a call gives the logger its attempt and outcome with status and request id', async () => {
  const { logger, of, records } = collector();
  const client = new IvsClient({ ...emulator.clientConfig, logger });
  const created = await client.createChannel({ name: 'logged' });
  const requestId = created.$metadata.requestId;
  const [attempt] = of('libivs.http');
  assert.equal(attempt.level, 'debug');
  assert.equal(attempt.message, `libivs.http: CreateChannel attempt 1: HTTP 200, request id ${requestId}`);
  assert.equal(attempt.fields.operation, 'CreateChannel');
  assert.equal(attempt.fields.attempt, '1');
  assert.equal(attempt.fields.status, '200');
  assert.equal(attempt.fields.requestId, requestId);
  const [outcome] = of('libivs.client');
  assert.match(outcome.message, /^libivs\.client: CreateChannel succeeded: HTTP 200/);
  assert.equal(outcome.fields.attempts, '1');
  // No trace function: nothing more verbose than debug was recorded.
  assert.ok(records.every((r) => r.level !== 'trace'));
});

test('a failed call is logged with its error code', async () => {
  const { logger, of } = collector();
  const client = new IvsClient({ ...emulator.clientConfig, logger });
  await assert.rejects(client.getChannel({ arn: MISSING_CHANNEL_ARN }), { name: 'ResourceNotFoundException' });
  const [outcome] = of('libivs.client');
  assert.equal(outcome.fields.errorCode, 'ResourceNotFoundException');
  assert.equal(outcome.fields.status, '404');
  assert.match(outcome.message, /GetChannel failed: ResourceNotFoundException \(HTTP 404\)/);
});

test('a retried call logs each retry; $metadata says the total retry delay', async () => {
  emulator.injectFault({ operation: 'ListChannels', count: 2, status: 503 });
  const { logger, of } = collector();
  const client = new IvsClient({ ...emulator.clientConfig, maxAttempts: 3, logger });
  const listed = await client.listChannels({});
  assert.equal(listed.$metadata.attempts, 3);
  assert.ok(listed.$metadata.totalRetryDelay > 0, `totalRetryDelay ${listed.$metadata.totalRetryDelay}`);
  const retries = of('libivs.retry');
  assert.deepEqual(retries.map((r) => r.fields.attempt), ['2', '3']);
  assert.ok(retries.every((r) => r.level === 'info'));
  const waited = retries.reduce((sum, r) => sum + Number(r.fields.delayMs), 0);
  assert.ok(Math.abs(waited - listed.$metadata.totalRetryDelay) <= 2);
  emulator.reset();
});

test('errors after network attempts carry attempts and totalRetryDelay', async () => {
  emulator.injectFault({ operation: 'ListChannels', count: 5, status: 503 });
  const client = new IvsClient({ ...emulator.clientConfig, maxAttempts: 2 });
  const error = await client.listChannels({}).catch((e) => e);
  assert.equal(error.$metadata.attempts, 2);
  assert.ok(error.$metadata.totalRetryDelay > 0);
  emulator.reset();
});

test('without a logger nothing is recorded; a throwing logger does not fail the call', async () => {
  const plain = new IvsClient({ ...emulator.clientConfig });
  const listed = await plain.listChannels({});
  assert.equal(listed.$metadata.httpStatusCode, 200);
  const angry = { debug() { throw new Error('logger broke'); }, info() {}, warn() {}, error() {} };
  const client = new IvsClient({ ...emulator.clientConfig, logger: angry });
  assert.equal((await client.listChannels({})).$metadata.httpStatusCode, 200);
});

test('no secret reaches a record at trace', async () => {
  const { logger, records, of } = collector({ withTrace: true });
  const config = emulator.clientConfig;
  const client = new IvsClient({
    ...config,
    credentials: { ...config.credentials, secretAccessKey: SECRET, sessionToken: TOKEN },
    logger,
  });
  const created = await client.createChannel({ name: 'secret-test' });
  const key = created.streamKey;
  const passphrase = created.channel.srt?.passphrase ?? 'no passphrase';
  await assert.rejects(client.putMetadata({ channelArn: created.channel.arn, metadata: METADATA }), { name: 'ChannelNotBroadcasting' });
  assert.equal((await client.getStreamKey({ arn: key.arn })).streamKey.value, key.value);
  assert.ok(records.some((r) => r.level === 'trace' && r.fields.logger === 'libivs.sdk'));
  assert.ok(of('libivs.client').length >= 3);
  const text = JSON.stringify(records);
  for (const secret of [SECRET, TOKEN, METADATA, key.value, passphrase]) {
    assert.ok(!text.includes(secret), `a record holds ${secret}`);
  }
});

test('OpenTelemetry: a call, a retried call and a failed call are CLIENT spans under the caller', async () => {
  const api = await import('@opentelemetry/api');
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // Context propagation across awaits needs a context manager; AsyncLocalStorage's is Node's own.
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const storage = new AsyncLocalStorage();
  api.context.setGlobalContextManager({
    active: () => storage.getStore() ?? api.ROOT_CONTEXT,
    with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.apply(thisArg, args)),
    bind: (_ctx, target) => target,
    enable() { return this; },
    disable() { return this; },
  });
  assert.ok(api.trace.setGlobalTracerProvider(provider));
  const client = new IvsClient({ ...emulator.clientConfig, maxAttempts: 3 });
  const ivsSpans = () => exporter.getFinishedSpans().filter((s) => s.name.startsWith('ivs.'));

  const caller = api.trace.getTracer('test').startSpan('caller');
  const created = await api.context.with(api.trace.setSpan(api.context.active(), caller), () => client.createChannel({ name: 'traced' }));
  caller.end();
  let [span] = ivsSpans();
  assert.equal(span.name, 'ivs.CreateChannel');
  assert.equal(span.kind, api.SpanKind.CLIENT);
  assert.equal(span.parentSpanContext?.spanId ?? span.parentSpanId, caller.spanContext().spanId);
  assert.equal(span.attributes['rpc.system'], 'aws-api');
  assert.equal(span.attributes['rpc.service'], 'ivs');
  assert.equal(span.attributes['rpc.method'], 'CreateChannel');
  assert.equal(span.attributes['aws.region'], 'us-west-2');
  assert.equal(span.attributes['aws.request_id'], created.$metadata.requestId);
  assert.equal(span.attributes['http.status_code'], 200);
  assert.notEqual(span.status.code, api.SpanStatusCode.ERROR);
  assert.ok(!JSON.stringify(span.attributes).includes(created.streamKey.value));

  exporter.reset();
  emulator.injectFault({ operation: 'ListChannels', count: 2, status: 503 });
  await client.listChannels({});
  [span] = ivsSpans();
  assert.deepEqual(span.events.map((e) => [e.name, e.attributes.attempt]), [['retry', 2], ['retry', 3]]);
  assert.equal(span.attributes.retry_attempts, 2);
  emulator.reset();

  exporter.reset();
  await assert.rejects(client.getChannel({ arn: MISSING_CHANNEL_ARN }));
  [span] = ivsSpans();
  assert.equal(span.status.code, api.SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], 'ResourceNotFoundException');
  assert.equal(span.attributes['http.status_code'], 404);
  api.trace.disable();
  api.context.disable();
});

test('LIBIVS_LOG writes records to stderr, filtered as RUST_LOG', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = `const lib = require(${JSON.stringify(new URL('../index.js', import.meta.url).pathname)});
    const e = lib.startEmulator(); const c = new lib.IvsClient(e.clientConfig);
    c.listChannels({}).then(() => e.stop());`;
  const done = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, LIBIVS_LOG: 'libivs=debug' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(done.status, 0, done.stderr);
  assert.match(done.stderr, /DEBUG libivs\.client: ListChannels succeeded: HTTP 200/);
  assert.ok(!done.stderr.includes('libivs.sdk'), done.stderr);
});

test.after(() => emulator.stop());
