// The Node face's driver of the cross-language suite (tests/run_cross.py runs it).
//
// Usage: node driver.mjs <emulator URL>. Reads one step a line on stdin,
// `<OperationName> <snake_name> <request JSON>`, sends `new <OperationName>Command(request)`
// through an `IvsClient`, and writes one line a step: `{"ok": <output>}` (Dates as
// `{"$timestamp": "<ISO-8601>"}`, so the runner can tell them from strings) or `{"error": {...}}`
// with the error's code, kind, status and message. The runner resolves references, normalises and
// compares; this only translates.
import { createInterface } from 'node:readline';
import * as libivs from '../node/index.mjs';

if (process.argv.length !== 3) {
  console.error('usage: node driver.mjs <emulator URL>');
  process.exit(2);
}

// The emulator's default region and the only credentials it accepts.
const client = new libivs.IvsClient({
  region: 'us-west-2',
  endpoint: process.argv[2],
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

function tagged(key, value) {
  // `this[key]` is the value before Date's toJSON turned it into a string.
  const original = this[key];
  if (original instanceof Date) return { $timestamp: original.toISOString() };
  if (typeof original === 'bigint' || original instanceof Uint8Array) {
    throw new TypeError(`libivs returned a ${original.constructor.name}, which the suite does not expect`);
  }
  return value;
}

async function runStep(operation, request) {
  const Command = libivs[`${operation}Command`];
  if (typeof Command !== 'function') {
    return { error: { code: 'MissingCommand', kind: 'driver', message: operation } };
  }
  try {
    return { ok: await client.send(new Command(request)) };
  } catch (error) {
    return {
      error: {
        code: error.code,
        kind: error.kind,
        status: error.$metadata ? error.$metadata.httpStatusCode : undefined,
        message: error.message,
        retryable: error.retryable,
      },
    };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const [operation, , ...rest] = line.split(' ');
  const result = await runStep(operation, JSON.parse(rest.join(' ')));
  process.stdout.write(`${JSON.stringify(result, tagged)}\n`);
}
client.destroy();
