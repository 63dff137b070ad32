// One benchmark run of one library in its own process:
// `node client.mjs <libivs|sdk> <url> <sequential|inflight64|create> <count>`.
// Prints one JSON line. Loops are bounded by count; the endpoint is the loopback bench server.
import { createRequire } from 'node:module';

// Both libraries resolve from node/ (where @aws-sdk/client-ivs is a devDependency).
const require = createRequire(new URL('../../node/package.json', import.meta.url));
const [, , library, url, mode, countText] = process.argv;
const count = Number(countText);
const config = { region: 'us-west-2', endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const ARN = 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234';

const { IvsClient, GetChannelCommand } = require(library === 'libivs' ? './index.js' : '@aws-sdk/client-ivs');

if (mode === 'create') {
  // What `new IvsClient(config)` costs in-process, the module loaded: the first client of the
  // process, then the median of `count` more.
  const millisecondsOf = (make) => {
    const started = process.hrtime.bigint();
    make();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const firstMs = millisecondsOf(() => new IvsClient(config));
  const times = Array.from({ length: count }, () => millisecondsOf(() => new IvsClient(config)));
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ library, mode, firstMs, medianMs: times[Math.floor(count / 2)] }));
  process.exit(0);
}

let getChannel;
if (library === 'libivs') {
  const client = new IvsClient(config);
  getChannel = () => client.getChannel({ arn: ARN });
} else {
  const client = new IvsClient(config);
  getChannel = () => client.send(new GetChannelCommand({ arn: ARN }));
}

async function sequential(n) {
  for (let i = 0; i < n; i++) {
    const out = await getChannel();
    if (!out.channel) throw new Error('no channel');
  }
}

async function inFlight(n, width) {
  let next = 0;
  async function lane() {
    while (next < n) {
      next += 1;
      const out = await getChannel();
      if (!out.channel) throw new Error('no channel');
    }
  }
  await Promise.all(Array.from({ length: width }, lane));
}

const run = mode === 'sequential' ? (n) => sequential(n) : (n) => inFlight(n, 64);
await run(Math.min(500, count)); // warm-up: connections, JIT
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
await run(count);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({
  library,
  mode,
  calls: count,
  callsPerSecond: count / seconds,
  cpuMicrosPerCall: (cpu.user + cpu.system) / count,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
}));
