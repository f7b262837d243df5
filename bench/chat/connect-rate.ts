/**
 * `npm run bench:connect` — how fast Parlor admits chat connections (token check, durable
 * single-use redeem, room join). A Parlor child (pinned to core 0) gets N single-use tokens
 * minted through the SDK beforehand; this process (pinned to core 1) then opens N WebSocket
 * connections with at most C handshakes in flight, keeps them open, and reports connections/s,
 * p50/p99/max handshake latency (TCP connect → 101 checked) and server CPU per connection.
 * A warm-up of W connections precedes the measured ones on the same server. The naive
 * reference server (no token check, no store) runs the same handshakes as the baseline.
 *
 * Options: --connections N (default 2000)  --concurrency C (default 64)  --warmup W (default 200)
 *          --rounds R (default 3; targets alternate within a round, medians are reported)
 *          --targets A,B (from bench/chat/targets.ts; default parlor,naive; the first is compared
 *          with the others)
 */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { cpuMicros, TASKSET_AVAILABLE } from './proc.js';
import { SERVER_CORE, TARGETS, type TargetName } from './targets.js';
import { percentile } from '../percentile.js';
import { readUpgradeResponse, upgradeRequest } from './ws-client-frames.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    targets: { type: 'string', default: 'parlor,naive' },
  },
});
const N = Number(values.connections);
const C = Number(values.concurrency);
const W = Number(values.warmup);
const CLIENT_CORE = 1;

interface Outcome {
  /** Handshake time in ms, or the reason it failed. */
  readonly ms?: number;
  readonly error?: string;
  readonly close: () => void;
}

/** One upgrade with `token`; resolves once the 101 is checked (the socket stays open). */
function handshake(port: number, token: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = upgradeRequest('127.0.0.1', port, token);
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    const close = (): void => void socket.destroy();
    let head = Buffer.alloc(0);
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      socket.off('data', onData);
      socket.on('data', () => undefined); // keep reading (pings) without buffering
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const result = readUpgradeResponse(head, req.expectedAccept, token);
      if (result.kind === 'open') settle({ ms: performance.now() - started, close });
      else if (result.kind === 'refused') settle({ error: result.reason, close });
    };
    socket.on('connect', () => socket.write(req.bytes));
    socket.on('data', onData);
    socket.on('error', (err) => settle({ error: err.message, close }));
    socket.on('close', () => settle({ error: 'closed during handshake', close }));
  });
}

/** Opens one connection per token, at most `limit` handshakes in flight. */
async function openAll(port: number, tokens: readonly string[], limit: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tokens.length) out.push(await handshake(port, tokens[next++]!));
  };
  await Promise.all(Array.from({ length: Math.min(limit, tokens.length) }, worker));
  return out;
}

const median = (xs: readonly number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

interface Row {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly cpuMicrosPerConnection: number;
  readonly failed: number;
  /** This process's CPU over the measured window / its wall time (1 = one busy core). */
  readonly clientCores: number;
}

async function measure(name: TargetName): Promise<Row> {
  const target = await TARGETS[name].start();
  try {
    const [room] = await target.tokens({ rooms: 1, publishers: 0, subscribers: W + N });
    const tokens = room!.subscribers;
    const warm = await openAll(target.port, tokens.slice(0, W), C);
    const cpuBefore = cpuMicros(target.pid);
    const started = performance.now();
    const clientBefore = process.cpuUsage();
    const outcomes = await openAll(target.port, tokens.slice(W), C);
    const elapsedMs = performance.now() - started;
    const cpu = cpuMicros(target.pid) - cpuBefore;
    const client = process.cpuUsage(clientBefore);
    for (const o of [...warm, ...outcomes]) o.close();
    const failures = outcomes.filter((o) => o.error !== undefined);
    if (failures.length > 0) console.log(`  ${failures.length} handshakes failed, first: ${failures[0]!.error}`);
    const ms = outcomes.flatMap((o) => (o.ms === undefined ? [] : [o.ms])).sort((a, b) => a - b);
    return {
      perSecond: (ms.length / elapsedMs) * 1000,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      max: ms.at(-1) ?? NaN,
      cpuMicrosPerConnection: cpu / N,
      failed: failures.length,
      clientCores: (client.user + client.system) / 1000 / elapsedMs,
    };
  } finally {
    await target.stop();
  }
}

const fmt = (r: Row): string =>
  `${Math.round(r.perSecond)} conn/s | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} | ${Math.round(r.cpuMicrosPerConnection)} | ${r.failed} | ${Math.round(r.clientCores * 100)}%`;

if (TASKSET_AVAILABLE) spawnSync('taskset', ['-apc', String(CLIENT_CORE), String(process.pid)]);
console.log(`bench:connect — ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(TASKSET_AVAILABLE ? `server on CPU ${SERVER_CORE}, client on CPU ${CLIENT_CORE} (taskset)` : 'taskset is missing: UNPINNED');
console.log(`${N} connections (+${W} warm-up) into one room, ${C} handshakes in flight, ${values.rounds} rounds\n`);

const targets = values.targets.split(',').map((name) => {
  if (!(name in TARGETS)) throw new Error(`--targets: unknown target ${name}`);
  return { name: name as TargetName };
});
const rows = new Map<string, Row[]>(targets.map((t) => [t.name, []]));
console.log('| round | target | connections/s | p50 ms | p99 ms | max ms | server CPU µs/conn | failed | client CPU |\n|---|---|---|---|---|---|---|---|---|');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const t of round % 2 === 1 ? targets : [...targets].reverse()) {
    const row = await measure(t.name);
    rows.get(t.name)!.push(row);
    console.log(`| ${round} | ${t.name} | ${fmt(row)} |`);
  }
}

const summary = (name: string): Row => {
  const rs = rows.get(name)!;
  const pick = (f: (r: Row) => number): number => median(rs.map(f));
  return {
    perSecond: pick((r) => r.perSecond),
    p50: pick((r) => r.p50),
    p99: pick((r) => r.p99),
    max: pick((r) => r.max),
    cpuMicrosPerConnection: pick((r) => r.cpuMicrosPerConnection),
    failed: rs.reduce((n, r) => n + r.failed, 0),
    clientCores: pick((r) => r.clientCores),
  };
};
console.log('\nMedians over the rounds:\n\n| target | connections/s | p50 ms | p99 ms | max ms | server CPU µs/conn | failed (all rounds) | client CPU |\n|---|---|---|---|---|---|---|---|');
for (const t of targets) console.log(`| ${t.name} | ${fmt(summary(t.name))} |`);
const mine = summary(targets[0]!.name);
for (const t of targets.slice(1)) {
  const base = summary(t.name);
  console.log(`\n${targets[0]!.name} / ${t.name}: ${(mine.perSecond / base.perSecond).toFixed(2)}× connections/s, ${(mine.p99 / base.p99).toFixed(2)}× p99, ${(mine.cpuMicrosPerConnection / base.cpuMicrosPerConnection).toFixed(2)}× CPU per connection`);
}
console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
