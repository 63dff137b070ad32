// Reference docs generated from the model: every client method and command in index.d.ts has
// TSDoc naming each request member's type, whether it is required, its constraints and enum
// values, the errors and the AWS API Reference page (what an editor's hover shows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as libivs from '../index.mjs';

const types = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');

/** The TSDoc block right before `marker` in index.d.ts. */
function docBefore(marker) {
  const at = types.indexOf(marker);
  assert.ok(at > 0, marker);
  const start = types.lastIndexOf('/**', at);
  return types.slice(start, types.indexOf('*/', start));
}

test('createChannel has its parameters, constraints, errors and reference page', () => {
  const doc = docBefore('  createChannel(input?: CreateChannelCommandInput, options');
  assert.match(doc, /Creates a new channel and an associated stream key/);
  assert.match(doc, /- `name` \(string, optional; length 0-128; pattern \[a-zA-Z0-9-_\]\*\): Channel name\./);
  assert.match(doc, /- `latencyMode` \(string, optional; one of "NORMAL", "LOW"\)/);
  assert.match(doc, /@throws .*\{@link ServiceQuotaExceededException\}/);
  assert.match(doc, /@see https:\/\/docs\.aws\.amazon\.com\/ivs\/latest\/LowLatencyAPIReference\/API_CreateChannel\.html/);
  assert.match(docBefore('  getChannel(input: GetChannelCommandInput, options'), /- `arn` \(string, required; length 1-128/);
});

test('every method and command is documented', () => {
  for (const [name, method] of libivs.OPERATIONS) {
    const url = `API_${name}.html`;
    assert.ok(docBefore(`  ${method}(input`).includes(url), method);
    assert.ok(docBefore(`export declare class ${name}Command `).includes(url), name);
  }
});
