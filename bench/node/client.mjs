// One benchmark run of one library in its own process: `node client.mjs <libivs|sdk> <url> <mode>`.
// Prints one JSON line. Loops are bounded by count; the endpoint is the loopback bench server.
import { createRequire } from 'node:module';

// Both libraries resolve from node/ (where @aws-sdk/client-ivs is a devDependency).
const require = createRequire(new URL('../../node/package.json', import.meta.url));
const [, , library, url, mode, countText] = process.argv;
const count = Number(countText);
const config = { region: 'us-west-2', endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const ARN = 'arn:aws:ivs:us-west-2:123456789012:channel/abcdABCD1234';

let getChannel;
if (library === 'libivs') {
  const { IvsClient } = require('./index.js');
  const client = new IvsClient(config);
  getChannel = () => client.getChannel({ arn: ARN });
} else {
  const { IvsClient, GetChannelCommand } = require('@aws-sdk/client-ivs');
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
