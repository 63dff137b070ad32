// Behaviour under real use: the event loop keeps turning, scripts exit on their own, worker
// threads work and can be terminated mid-call, many calls in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { setup } from './helpers.mjs';

const require = createRequire(import.meta.url);
const entry = require.resolve('../index.js');

function runNode(script, timeout = 20000) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout, env: process.env });
  return { ...run, elapsed: Date.now() - started };
}

test('the event loop is never blocked while a call waits', async () => {
  const { emulator, client } = setup({ maxAttempts: 1 });
  try {
    emulator.injectFault({ operation: 'ListChannels', count: 1, delayMs: 500 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await client.listChannels({});
    clearInterval(timer);
    assert.ok(ticks >= 25, `only ${ticks} timer ticks during a 500 ms call`);
  } finally {
    emulator.stop();
  }
});

test('a script that finishes exits on its own, without process.exit', () => {
  const run = runNode(`
    const { IvsClient, startEmulator, paginateListChannels } = require(${JSON.stringify(entry)});
    const emulator = startEmulator();
    const client = new IvsClient(emulator.clientConfig);
    (async () => {
      await client.createChannel({ name: 'a' });
      for await (const page of paginateListChannels({ client }, {})) console.log(page.channels.length);
      console.log('done');
    })();`);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.signal, null, 'not killed by the timeout');
  assert.deepEqual(run.stdout.trim().split('\n'), ['1', 'done']);
  assert.ok(run.elapsed < 5000, `took ${run.elapsed} ms`);
});

test('a script whose calls are still pending at the end waits for them, then exits', () => {
  const run = runNode(`
    const { IvsClient, startEmulator } = require(${JSON.stringify(entry)});
    const emulator = startEmulator();
    emulator.injectFault({ operation: 'ListChannels', count: 1, delayMs: 300 });
    new IvsClient(emulator.clientConfig).listChannels({}).then((r) => console.log('answered', r.channels.length));`);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'answered 0');
});

test('64 calls in flight at once', async () => {
  const { emulator, client } = setup();
  try {
    const created = await client.createChannel({ name: 'many' });
    const results = await Promise.all(Array.from({ length: 64 }, () => client.getChannel({ arn: created.channel.arn })));
    assert.equal(results.length, 64);
    assert.ok(results.every((r) => r.channel.arn === created.channel.arn));
    assert.equal(new Set(results.map((r) => r.$metadata.requestId)).size, 64);
  } finally {
    emulator.stop();
  }
});

function workerRun(code, workerData) {
  return new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const { IvsClient } = require(${JSON.stringify(entry)});
    ${code}`, { eval: true, workerData });
}

test('works in worker_threads', async () => {
  const { emulator, client } = setup();
  try {
    const created = await client.createChannel({ name: 'from-main' });
    const names = await Promise.all([1, 2].map((n) => new Promise((resolve, reject) => {
      const worker = workerRun(`
        const client = new IvsClient(workerData.config);
        client.createChannel({ name: 'worker' + workerData.n })
          .then(() => client.getChannel({ arn: workerData.arn }))
          .then((got) => parentPort.postMessage(got.channel.name + ':' + (got.$metadata.httpStatusCode)),
                (e) => parentPort.postMessage('error ' + e.name + ' ' + e.message));`,
      { config: emulator.clientConfig, arn: created.channel.arn, n });
      worker.once('message', resolve);
      worker.once('error', reject);
    })));
    assert.deepEqual(names, ['from-main:200', 'from-main:200']);
    assert.equal((await client.listChannels({})).channels.length, 3);
  } finally {
    emulator.stop();
  }
});

test('a worker can be terminated in the middle of a call', async () => {
  const { emulator, client } = setup({ maxAttempts: 1 });
  try {
    emulator.injectFault({ operation: 'ListChannels', count: 4, delayMs: 400 });
    for (let round = 0; round < 2; round++) {
      const worker = workerRun(`
        const client = new IvsClient(workerData.config);
        parentPort.postMessage('calling');
        client.listChannels({}).then(() => parentPort.postMessage('answered'));
        client.listChannels({}).then(() => parentPort.postMessage('answered'));`,
      { config: emulator.clientConfig });
      await new Promise((resolve) => worker.once('message', resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const code = await worker.terminate();
      assert.equal(code, 1);
    }
    // The calls of the dead workers finish on the core's runtime; nothing crashes, and the
    // main thread's client still works.
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual((await client.listChannels({})).channels, []);
  } finally {
    emulator.stop();
  }
});
