// libivs vs @aws-sdk/client-ivs on the same loopback endpoint (bench/server's bench-server),
// in one run: sequential GetChannel, 64 in flight, whole-process first call, peak RSS.
// `make bench-node` (release addon via LIBIVS_NODE_BINARY).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL || 5000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT || 20000);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS || 15);
// Each measurement runs ROUNDS times, the libraries back to back in each round; the figures are
// medians over the rounds, and the ratios medians of the per-round ratios (a shared machine's
// drift cancels within a round).
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);

// Placement: on a small VM a sequential ping-pong between two processes is dominated by where the
// scheduler puts them (cross-CPU wake-ups cost the hypervisor more than the clients' own work),
// so the gated figures pin the server to CPU 1 and each client to CPU 0, the same for both
// libraries (bench/c does the same); unpinned sequential runs are reported beside them.
const PINNED = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && availableParallelism() >= 2;
const pin = (cpu, argv) => (PINNED ? ['taskset', ['-c', String(cpu), ...argv]] : [argv[0], argv.slice(1)]);

function startServer() {
  const binary = process.env.BENCH_SERVER || join(root, 'target', 'release', 'bench-server');
  const [command, args] = pin(1, [binary, '--port', '0']);
  const server = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    createInterface({ input: server.stdout }).once('line', (line) => resolve({ server, url: line.trim() }));
  });
}

function runClient(library, url, mode, count, pinned = true) {
  const argv = [process.execPath, join(here, 'client.mjs'), library, url, mode, String(count)];
  const [command, args] = pinned ? pin(0, argv) : [argv[0], argv.slice(1)];
  const run = spawnSync(command, args, {
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
  const measurements = [
    ['sequential', 'sequential', SEQUENTIAL, true],
    ['inflight64', 'inflight64', IN_FLIGHT, true],
  ];
  if (PINNED) measurements.push(['unpinned_sequential', 'sequential', SEQUENTIAL, false]);
  const runs = {};
  const peakRss = { libivs: 0, sdk: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, mode, count, pinned] of measurements) {
      for (const library of ['libivs', 'sdk']) {
        const run = runClient(library, url, mode, count, pinned);
        peakRss[library] = Math.max(peakRss[library], run.maxRssMiB);
        ((runs[name] ??= {})[library] ??= []).push(run);
      }
    }
  }
  /** Medians over the rounds of one measurement, and the median per-round ratio. */
  const summary = (name) => {
    const { libivs, sdk } = runs[name];
    const of = (list, key) => median(list.map((run) => run[key]));
    return {
      libivs: { callsPerSecond: of(libivs, 'callsPerSecond'), cpuMicrosPerCall: of(libivs, 'cpuMicrosPerCall') },
      sdk: { callsPerSecond: of(sdk, 'callsPerSecond'), cpuMicrosPerCall: of(sdk, 'cpuMicrosPerCall') },
      ratio: median(libivs.map((run, i) => run.callsPerSecond / sdk[i].callsPerSecond)),
    };
  };
  const arn = 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234';
  const config = `{ region: 'us-west-2', endpoint: ${JSON.stringify(url)}, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }`;
  const startup = startupTimes({
    bare: '0',
    libivs: `const { IvsClient } = require(${JSON.stringify(join(root, 'node', 'index.js'))});
      new IvsClient(${config}).getChannel({ arn: '${arn}' }).then((o) => { if (!o.channel) process.exitCode = 1; });`,
    sdk: `const { IvsClient, GetChannelCommand } = require('@aws-sdk/client-ivs');
      new IvsClient(${config}).send(new GetChannelCommand({ arn: '${arn}' })).then((o) => { if (!o.channel) process.exitCode = 1; });`,
  });

  const creation = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const library of ['libivs', 'sdk']) ((creation[library] ??= []).push(runClient(library, url, 'create', 200)));
  }
  const created = (library, key) => median(creation[library].map((run) => run[key]));

  const ratio = (a, b) => (a / b).toFixed(2);
  const seq = summary('sequential');
  const wide = summary('inflight64');
  const libRss = peakRss.libivs;
  const sdkRss = peakRss.sdk;
  const callRows = (label, m, target) => [
    [`${label} (calls/s)`, m.libivs.callsPerSecond.toFixed(0), m.sdk.callsPerSecond.toFixed(0), `${m.ratio.toFixed(2)}x`, target],
    ['  CPU per call (µs)', m.libivs.cpuMicrosPerCall.toFixed(0), m.sdk.cpuMicrosPerCall.toFixed(0),
      `${ratio(m.libivs.cpuMicrosPerCall, m.sdk.cpuMicrosPerCall)}x`, ''],
  ];
  const rows = [
    ...callRows('sequential GetChannel', seq, '>= 3.3x'),
    ...callRows('64 in flight GetChannel', wide, '>= 2.8x'),
    ...(PINNED ? callRows('sequential GetChannel, unpinned (reference)', summary('unpinned_sequential'), '') : []),
    ['first call, whole process (ms over `node -e 0`)', (startup.libivs - startup.bare).toFixed(1),
      (startup.sdk - startup.bare).toFixed(1), '', '<= 15 ms'],
    ['first client of the process, in-process (ms)', created('libivs', 'firstMs').toFixed(2),
      created('sdk', 'firstMs').toFixed(2), `${ratio(created('libivs', 'firstMs'), created('sdk', 'firstMs'))}x`, '<= 2 ms'],
    ['  next clients, median of 200 (ms)', created('libivs', 'medianMs').toFixed(3),
      created('sdk', 'medianMs').toFixed(3), `${ratio(created('libivs', 'medianMs'), created('sdk', 'medianMs'))}x`, '<= 2 ms'],
    ['peak RSS (MiB)', libRss.toFixed(0), sdkRss.toFixed(0), `${ratio(libRss, sdkRss)}x`, '<= 0.5x'],
  ];
  const placement = PINNED ? 'server on CPU 1, clients on CPU 0 (taskset) unless marked unpinned' : 'not pinned (no taskset or one CPU)';
  console.log(`bench-node: ${SEQUENTIAL} sequential and ${IN_FLIGHT} 64-in-flight GetChannel calls per library and run, ${ROUNDS} rounds (medians; ratios are medians of per-round ratios), against ${url} (bench-server); ${placement}; bare \`node -e 0\` = ${startup.bare.toFixed(1)} ms (median of ${STARTUP_RUNS})`);
  console.log('| | libivs | @aws-sdk/client-ivs | ratio | target |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
} finally {
  server.kill();
}
