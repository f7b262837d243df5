/**
 * `npm run bench:round-trip` — the floor under what review adds: the time one byte takes to go
 * from a process on core 0 (where bench:chat pins Parlor) to an echo process on core 1 (where
 * it pins the review webhook, with the same priorities) and back over loopback TCP, with nothing
 * else running. A review costs at least one such round trip; on a virtual machine whose idle
 * vCPUs must be woken by the host, it is far from the microseconds of bare metal.
 *
 * Then, as a second table, how often each core stops a busy loop for over 0.5 ms (a vCPU
 * descheduled by the host, or the kernel's own work): any such pause on the way of a message
 * or of its review shows up in the latency.
 *
 * Options: --count N (round trips per spacing, default 1000)  --gaps 10,1 (ms between round
 *          trips, default 10 and 1: bench:chat's 100 and 1,000 reviews a second)
 *          --review-rt N (SCHED_FIFO priority of the echo's main thread, default 1; 0 = nice only)
 *          --spin S (seconds of busy loop on both cores at once, default 10; 0 = skip)
 */
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setChildNice, setRealtime, spawnNode, stopChild, waitForLine } from '../chat/proc.js';
import { percentile } from '../percentile.js';

const { values } = parseArgs({
  options: {
    echo: { type: 'boolean', default: false },
    ping: { type: 'string' },
    count: { type: 'string', default: '1000' },
    gaps: { type: 'string', default: '10,1' },
    'review-rt': { type: 'string', default: '1' },
    spin: { type: 'string', default: '10' },
    'spin-child': { type: 'boolean', default: false },
  },
});

/** Child: echoes every byte back at once; prints `{"port":N}` when listening. */
function echo(): void {
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (data) => socket.write(data));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
}

/** Child: `count` round trips `gapMs` apart, one at a time; prints their percentiles in µs as JSON. */
function ping(port: number, count: number, gapMs: number): void {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const byte = Buffer.from('x');
  const micros: number[] = [];
  let sentAt = 0n;
  const send = (): void => {
    sentAt = process.hrtime.bigint();
    socket.write(byte);
  };
  socket.on('connect', send);
  socket.on('data', () => {
    micros.push(Number(process.hrtime.bigint() - sentAt) / 1000);
    if (micros.length < count) {
      setTimeout(send, gapMs);
      return;
    }
    micros.sort((a, b) => a - b);
    const at = (q: number): number => Math.round(percentile(micros, 100 * q));
    console.log(JSON.stringify({ gapMs, count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(micros[micros.length - 1]!) }));
    socket.destroy();
  });
}

/** Pause of a busy loop worth counting, in nanoseconds. */
const PAUSE_NS = 500_000n;

/** Child: spins for `seconds`, then prints the pauses over 0.5 ms (count, total and longest, ms) as JSON. */
function spin(seconds: number): void {
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  const pauses: number[] = [];
  let last = start;
  for (let now = start; now < end; now = process.hrtime.bigint()) {
    if (now - last > PAUSE_NS) pauses.push(Number(now - last) / 1e6);
    last = now;
  }
  const total = pauses.reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ pauses: pauses.length, totalMs: Number(total.toFixed(1)), longestMs: Number(Math.max(0, ...pauses).toFixed(2)), share: total / (seconds * 1000) }));
}

async function spinBothCores(self: string, seconds: number): Promise<void> {
  console.log(`\n| core | pauses > 0.5 ms in ${seconds} s | time lost | longest ms |\n|---|---|---|---|`);
  const children = [0, 1].map((core) => spawnNode(core === 0 ? 'server' : 'loadgen', core, ['--import', 'tsx', self, '--spin-child', '--spin', String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const lines = await Promise.all(children.map((child) => waitForLine(child, /(\{"pauses".*\})/, seconds * 1000 + 30_000)));
  lines.forEach((line, core) => {
    const r = JSON.parse(line) as { pauses: number; totalMs: number; longestMs: number; share: number };
    console.log(`| ${core} | ${r.pauses} | ${r.totalMs} ms (${(100 * r.share).toFixed(2)} %) | ${r.longestMs} |`);
  });
  await Promise.all(children.map((child) => stopChild(child)));
}

async function main(): Promise<void> {
  const realtime = Number(values['review-rt']);
  console.log(`bench:round-trip — ${setChildNice(-10)}`);
  const self = fileURLToPath(import.meta.url);
  // As review-target.ts starts the webhook: core 1, ten nice levels up, real-time main thread.
  const echoArgs = [...(realtime > 0 ? ['--single-threaded'] : []), '--import', 'tsx', self, '--echo'];
  const echoChild = spawnNode('loadgen', 1, echoArgs, { stdio: ['ignore', 'pipe', 'pipe'] }, 10);
  try {
    const port = await waitForLine(echoChild, /\{"port":(\d+)\}/, 20_000);
    console.log(`echo on core 1: ${realtime > 0 && echoChild.pid !== undefined ? setRealtime(echoChild.pid, realtime) : 'nice levels only'}`);
    console.log('| ms between round trips | round trips | p50 µs | p90 µs | p99 µs | max µs |\n|---|---|---|---|---|---|');
    for (const gap of values.gaps.split(',').map(Number)) {
      const pinger = spawnNode('server', 0, ['--import', 'tsx', self, '--ping', port, '--count', values.count, '--gaps', String(gap)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await waitForLine(pinger, /(\{"gapMs".*\})/, 120_000);
      const r = JSON.parse(line) as { gapMs: number; count: number; p50: number; p90: number; p99: number; max: number };
      console.log(`| ${r.gapMs} | ${r.count} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} |`);
      await stopChild(pinger);
    }
  } finally {
    await stopChild(echoChild);
  }
  const seconds = Number(values.spin);
  if (seconds > 0) await spinBothCores(self, seconds);
}

if (values.echo) echo();
else if (values['spin-child']) spin(Number(values.spin));
else if (values.ping !== undefined) ping(Number(values.ping), Number(values.count), Number(values.gaps));
else await main();
