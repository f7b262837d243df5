/**
 * npm run bench:presence — a crowd arrives: BURST clients connect within BURST_MS to one room
 * while a publisher sends CHAT_RATE messages per second and a few observers time each one.
 * Run twice in one process, against the same server, alternating the room's
 * `parlor:presence-events` off and on (--rounds pairs), so the figures compare within one run:
 *   - presence frames one member received (joins by name, summaries) and the server's
 *     parlor_presence_events_* counters;
 *   - the server's CPU (user + system) over the burst window;
 *   - p50/p99 of chat delivery (send → observer) during the burst window;
 *   - then, with the whole crowd connected, the median time of a ListRoomUsers call (first
 *     page of 100, totals of the whole room) beside that of a GetRoom call (the baseline: one
 *     store read), LIST_CALLS of each, one at a time.
 * Parlor runs as `npm start` runs it (dist/, pinned to core 0); the clients run here.
 */
import { CreateChatTokenCommand, CreateRoomCommand, GetRoomCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { ParlorClient } from '../../src/client/index.js';
import { percentile } from '../percentile.js';
import { cpuMicros, spawnNode, stopChild, waitForLine } from './proc.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '5000' },
    'burst-ms': { type: 'string', default: '5000' },
    'chat-rate': { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
  },
});
const BURST = Number(values.clients);
const BURST_MS = Number(values['burst-ms']);
const CHAT_RATE = Number(values['chat-rate']);
const ROUNDS = Number(values.rounds);
const OBSERVERS = 10;
const LIST_CALLS = 30;
/** Errors on sockets after they opened (resets under load), reported at the end. */
let socketErrors = 0;
/** A crowd member not open by then counts as failed. */
const CONNECT_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]!);
      }
    }),
  );
  return out;
}

function open(port: number, token: string, onMessage?: (data: Buffer) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, token, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
    if (onMessage) ws.on('message', (d: Buffer) => onMessage(d));
    ws.once('open', () => resolve(ws));
    // Before the open: the connect failed. After it: counted (a reset socket under load), not fatal.
    ws.on('error', (err) => (ws.readyState === WebSocket.CONNECTING ? reject(err) : socketErrors++));
    ws.once('close', (code) => reject(new Error(`closed (${code}) before it opened`)));
  });
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

interface Result {
  readonly events: boolean;
  readonly joinsByName: number;
  readonly summaries: number;
  readonly summarised: number;
  readonly sentDelta: number;
  readonly coalescedDelta: number;
  readonly cpuPercent: number;
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
  readonly connectedMs: number;
  readonly connected: number;
  /** Median ms of ListRoomUsers (the crowd connected) and of GetRoom (baseline). */
  readonly listUsersMs: number;
  readonly getRoomMs: number;
  readonly listedUsers: number;
}

/** Median wall time of `calls` sequential calls of `call` (ms, to 0.1). */
async function medianMs(calls: number, call: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(percentile(times, 50) * 10) / 10;
}

async function burst(client: IvschatClient, parlor: ParlorClient, port: number, pid: number, events: boolean): Promise<Result> {
  const room = (
    await client.send(new CreateRoomCommand({ maximumMessageRatePerSecond: 100, tags: { 'parlor:presence-events': String(events) } }))
  ).arn!;
  const mint = (userId: string, capabilities: ('SEND_MESSAGE')[] = []) => async () =>
    (await client.send(new CreateChatTokenCommand({ roomIdentifier: room, userId, capabilities }))).token!;
  const crowdTokens = await mapBounded(Array.from({ length: BURST }, (_, i) => mint(`fan-${i}`)), 32, (f) => f());
  const latencies: number[] = [];
  let measuring = false;
  let joinsByName = 0;
  let summaries = 0;
  let summarised = 0;
  const observers = await Promise.all(
    Array.from({ length: OBSERVERS }, async (_, i) =>
      open(port, await mint(`observer-${i}`)(), (data) => {
        const frame = JSON.parse(data.toString()) as { Type: string; Content?: string; EventName?: string; Attributes?: Record<string, string> };
        if (frame.Type === 'MESSAGE' && measuring) latencies.push(Date.now() - Number(frame.Content));
        if (i !== 0 || frame.Type !== 'EVENT') return;
        if (frame.EventName === 'parlor:user-joined' && frame.Attributes?.['userId']?.startsWith('fan-')) joinsByName++;
        if (frame.EventName === 'parlor:presence-summary') {
          summaries++;
          summarised += Number(frame.Attributes?.['joined'] ?? 0);
        }
      }),
    ),
  );
  const publisher = await open(port, await mint('publisher', ['SEND_MESSAGE'])());
  let seq = 0;
  const chat = setInterval(() => publisher.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: String(seq++), Content: String(Date.now()) })), 1000 / CHAT_RATE);
  await sleep(1000);
  const sentBefore = await metric(port, 'parlor_presence_events_sent_total');
  const coalescedBefore = await metric(port, 'parlor_presence_events_coalesced_total');
  const cpuBefore = cpuMicros(pid);
  const started = performance.now();
  measuring = true;
  const crowd: Promise<WebSocket>[] = [];
  for (let i = 0; i < BURST; i++) {
    const due = started + (i * BURST_MS) / BURST;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    crowd.push(open(port, crowdTokens[i]!));
  }
  const settled = await Promise.allSettled(crowd);
  const connectedMs = performance.now() - started;
  const sockets = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
  if (failures.length > 0) console.log(`  ${failures.length} of ${BURST} failed to connect, e.g. ${failures[0]}`);
  await sleep(2000); // the last summary follows a second after the burst
  measuring = false;
  const cpuPercent = ((cpuMicros(pid) - cpuBefore) / 1000 / (performance.now() - started)) * 100;
  const sentDelta = (await metric(port, 'parlor_presence_events_sent_total')) - sentBefore;
  const coalescedDelta = (await metric(port, 'parlor_presence_events_coalesced_total')) - coalescedBefore;
  clearInterval(chat);
  let listedUsers = 0;
  const listUsersMs = await medianMs(LIST_CALLS, async () => {
    listedUsers = (await parlor.listRoomUsers({ roomIdentifier: room, maxResults: 100 })).totalUsers;
  });
  const getRoomMs = await medianMs(LIST_CALLS, () => client.send(new GetRoomCommand({ identifier: room })));
  for (const ws of [...sockets, ...observers, publisher]) ws.terminate();
  latencies.sort((a, b) => a - b);
  await sleep(7000); // leaves (after the grace window) settle before the next round
  return {
    events,
    joinsByName,
    summaries,
    summarised,
    sentDelta,
    coalescedDelta,
    cpuPercent,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    samples: latencies.length,
    connectedMs,
    connected: sockets.length,
    listUsersMs,
    getRoomMs,
    listedUsers,
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'parlor-bench-presence-'));
if (spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' }).status !== 0) throw new Error('build failed');
const server = spawnNode(0, ['--max-semi-space-size=64', 'dist/main.js', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
try {
  const port = Number(await waitForLine(server, /control plane:\s+http:\/\/127\.0\.0\.1:(\d+)/, 30_000));
  server.stdout?.resume();
  server.stderr?.on('data', (d: Buffer) => process.stderr.write(`[parlor] ${d.toString()}`));
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' };
  const client = new IvschatClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
  const parlor = new ParlorClient({ endpoint, region: 'us-east-1', credentials });
  console.log(`${BURST} clients within ${BURST_MS} ms into one room; chat ${CHAT_RATE} msg/s timed by ${OBSERVERS} observers\n`);
  console.log('| presence events | crowd connected | joins by name | summaries (joins counted) | sent / coalesced (server) | server CPU | chat p50 | chat p99 | samples | ListRoomUsers (users) / GetRoom, median |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (let round = 0; round < ROUNDS; round++) {
    for (const events of round % 2 === 0 ? [false, true] : [true, false]) {
      const r = await burst(client, parlor, port, server.pid!, events);
      console.log(
        `| ${r.events ? 'on' : 'off'} | ${r.connected} in ${(r.connectedMs / 1000).toFixed(2)} s | ${r.joinsByName} | ${r.summaries} (${r.summarised}) | ${r.sentDelta} / ${r.coalescedDelta} | ${r.cpuPercent.toFixed(0)} % | ${r.p50} ms | ${r.p99} ms | ${r.samples} | ${r.listUsersMs} ms (${r.listedUsers}) / ${r.getRoomMs} ms |`,
      );
    }
  }
  client.destroy();
  console.log(`\nsocket errors after open: ${socketErrors}`);
} finally {
  await stopChild(server, 10_000);
  rmSync(dataDir, { recursive: true, force: true });
}
