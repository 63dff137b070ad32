// Every JavaScript example of the top-level README runs as written: each ```js block is written
// to a module of its own (its `from 'libivs'` pointing at this package) and run by node with the
// AWS environment pointing at an embedded emulator. A block that uses `client` without making one
// gets the client of the README's first example (`new IvsClient({ region: 'us-west-2' })`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../index.mjs';

const ENTRY = new URL('../index.mjs', import.meta.url).href;
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

function jsBlocks() {
  const text = readFileSync(README, 'utf8');
  return [...text.matchAll(/^```js\n([\s\S]*?)^```/gm)].map((match) => match[1]);
}

test('every JavaScript example of the README runs as written', { timeout: 120000 }, () => {
  assert.ok(existsSync(README), `${README} is missing`);
  const blocks = jsBlocks();
  assert.ok(blocks.length >= 3, "the README's JavaScript examples were not found");
  const emulator = startEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'libivs-readme-'));
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL_IVS: emulator.url,
    AWS_ACCESS_KEY_ID: emulator.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.clientConfig.credentials.secretAccessKey,
    AWS_REGION: 'us-west-2',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  try {
    blocks.forEach((block, index) => {
      let source = block.replaceAll("from 'libivs'", `from '${ENTRY}'`);
      if (/\bclient\./.test(source) && !/\bconst (\{[^}]*\bclient\b|client\b)/.test(source)) {
        source = `import { IvsClient as ReadmeIvsClient } from '${ENTRY}';\n`
          + "const client = new ReadmeIvsClient({ region: 'us-west-2' });\n" + source;
      }
      const file = join(dir, `example-${index + 1}.mjs`);
      writeFileSync(file, source);
      const run = spawnSync(process.execPath, [file], { env, encoding: 'utf8', timeout: 60000 });
      assert.equal(run.status, 0, `README.md js example ${index + 1} failed:\n${run.stderr}`);
    });
  } finally {
    emulator.stop();
  }
});
