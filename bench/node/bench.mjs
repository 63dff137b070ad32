// libivs vs @aws-sdk/client-ivs on the same loopback endpoint (bench/server's bench-server),
// in one run: sequential GetChannel, 64 in flight, whole-process first call, peak RSS.
// `make bench-node` (release addon via LIBIVS_NODE_BINARY).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL || 5000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT || 20000);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS || 15);
// Each measurement runs ROUNDS times, alternating the libraries; the best run of each counts
// (other processes on a shared machine only ever slow a run down).
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);

function startServer() {
  const binary = process.env.BENCH_SERVER || join(root, 'target', 'release', 'bench-server');
  const server = spawn(binary, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    createInterface({ input: server.stdout }).once('line', (line) => resolve({ server, url: line.trim() }));
  });
}

function runClient(library, url, mode, count) {
  const run = spawnSync(process.execPath, [join(here, 'client.mjs'), library, url, mode, String(count)], {
    encoding: 'utf8', cwd: join(root, 'node'), env: process.env, timeout: 300000,
  });
  if (run.status !== 0) throw new Error(`${library} ${mode} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall time of `node -e <script>`, median of STARTUP_RUNS runs (interleaved). */
function startupTimes(scripts) {
  const times = Object.fromEntries(Object.keys(scripts).map((k) => [k, []]));
  for (let i = 0; i < STARTUP_RUNS + 1; i++) {
    for (const [name, script] of Object.entries(scripts)) {
      const started = process.hrtime.bigint();
      const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: join(root, 'node'), env: process.env });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
      if (i > 0) times[name].push(ms); // the first round warms the page cache
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

const { server, url } = await startServer();
try {
  const results = {};
  const peakRss = { libivs: 0, sdk: 0 };
  for (const mode of ['sequential', 'inflight64']) {
    const count = mode === 'sequential' ? SEQUENTIAL : IN_FLIGHT;
    results[mode] = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const library of ['libivs', 'sdk']) {
        const run = runClient(library, url, mode, count);
        peakRss[library] = Math.max(peakRss[library], run.maxRssMiB);
        const best = results[mode][library];
        if (!best || run.callsPerSecond > best.callsPerSecond) results[mode][library] = run;
      }
    }
  }
  const arn = 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234';
  const config = `{ region: 'us-west-2', endpoint: ${JSON.stringify(url)}, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }`;
  const startup = startupTimes({
    bare: '0',
    libivs: `const { IvsClient } = require(${JSON.stringify(join(root, 'node', 'index.js'))});
      new IvsClient(${config}).getChannel({ arn: '${arn}' }).then((o) => { if (!o.channel) process.exitCode = 1; });`,
    sdk: `const { IvsClient, GetChannelCommand } = require('@aws-sdk/client-ivs');
      new IvsClient(${config}).send(new GetChannelCommand({ arn: '${arn}' })).then((o) => { if (!o.channel) process.exitCode = 1; });`,
  });

  const ratio = (a, b) => (a / b).toFixed(2);
  const seq = results.sequential;
  const wide = results.inflight64;
  const libRss = peakRss.libivs;
  const sdkRss = peakRss.sdk;
  const rows = [
    ['sequential GetChannel (calls/s)', seq.libivs.callsPerSecond.toFixed(0), seq.sdk.callsPerSecond.toFixed(0),
      `${ratio(seq.libivs.callsPerSecond, seq.sdk.callsPerSecond)}x`, '>= 3.5x'],
    ['  CPU per call (µs)', seq.libivs.cpuMicrosPerCall.toFixed(0), seq.sdk.cpuMicrosPerCall.toFixed(0), '', ''],
    ['64 in flight GetChannel (calls/s)', wide.libivs.callsPerSecond.toFixed(0), wide.sdk.callsPerSecond.toFixed(0),
      `${ratio(wide.libivs.callsPerSecond, wide.sdk.callsPerSecond)}x`, '>= 2.8x'],
    ['  CPU per call (µs)', wide.libivs.cpuMicrosPerCall.toFixed(0), wide.sdk.cpuMicrosPerCall.toFixed(0), '', ''],
    ['first call, whole process (ms over `node -e 0`)', (startup.libivs - startup.bare).toFixed(1),
      (startup.sdk - startup.bare).toFixed(1), '', '<= 15 ms'],
    ['peak RSS (MiB)', libRss.toFixed(0), sdkRss.toFixed(0), `${ratio(libRss, sdkRss)}x`, '<= 0.5x'],
  ];
  console.log(`bench-node: ${SEQUENTIAL} sequential and ${IN_FLIGHT} 64-in-flight GetChannel calls per library and run, best of ${ROUNDS} alternating runs, against ${url} (bench-server); bare \`node -e 0\` = ${startup.bare.toFixed(1)} ms (median of ${STARTUP_RUNS})`);
  console.log('| | libivs | @aws-sdk/client-ivs | ratio | target |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
} finally {
  server.kill();
}
