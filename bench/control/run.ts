/**
 * `npm run bench:control` — control-plane throughput and latency through real HTTP with
 * SigV4-signed requests. Each scenario starts its server as a child process pinned to core 0
 * (`taskset -c 0`) while this load generator runs on core 1, so Parlor gets one core. A plain
 * node:http server answering a fixed JSON body runs first under the same load: the ratio column
 * is Parlor's throughput relative to it.
 *
 * Flags: --warmup <s> (default 5, not counted), --duration <s> (default 10, measured),
 * --concurrency <n> (default 16 requests in flight), --only <text> (scenarios whose label
 * contains it; the baseline always runs).
 */
import { CreateRoomCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { drive, signedPost, type LoadOptions, type LoadResult, type PreparedRequest } from './load.js';
import { BASELINE_SERVER, parlorServer, pinning, pinSelf, startServer, type Credentials, type ServerSpec } from './servers.js';

type Workload = 'GetRoom' | 'UpdateRoom';

export interface Scenario {
  readonly label: string;
  readonly server: ServerSpec;
  readonly workload: Workload;
}

/** Rooms the requests rotate over (so UpdateRoom does not hammer one row). */
const ROOMS = 32;
const SERVER_CORE = 0;
const LOAD_CORE = 1;

/**
 * The rows, baseline first. A "SigV4 verification on" row is one more entry here: a
 * `parlorServer({ args: ['--auth-file', file], credentials })` whose credentials are in the file.
 */
export const SCENARIOS: readonly Scenario[] = [
  { label: 'baseline: node:http, fixed JSON', server: BASELINE_SERVER, workload: 'GetRoom' },
  { label: 'Parlor GetRoom (open mode)', server: parlorServer(), workload: 'GetRoom' },
  { label: 'Parlor UpdateRoom (open mode)', server: parlorServer(), workload: 'UpdateRoom' },
];

const BENCH_CREDENTIALS: Credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

/** Room ARNs to address: real rooms on Parlor, well-formed stand-ins for the baseline. */
async function roomArns(endpoint: string, spec: ServerSpec): Promise<string[]> {
  if (spec.kind === 'baseline') return Array.from({ length: ROOMS }, (_, i) => `arn:aws:ivschat:us-east-1:123456789012:room/bench${String(i).padStart(7, '0')}`);
  const client = new IvschatClient({ region: 'us-east-1', endpoint, credentials: spec.credentials, maxAttempts: 1 });
  const arns: string[] = [];
  for (let i = 0; i < ROOMS; i++) arns.push((await client.send(new CreateRoomCommand({ name: `bench-${i}` }))).arn!);
  client.destroy();
  return arns;
}

async function prepare(endpoint: string, scenario: Scenario): Promise<PreparedRequest[]> {
  const credentials = scenario.server.kind === 'parlor' ? scenario.server.credentials : BENCH_CREDENTIALS;
  const arns = await roomArns(endpoint, scenario.server);
  const inputs =
    scenario.workload === 'GetRoom'
      ? arns.map((identifier) => ({ path: '/GetRoom', input: { identifier } }))
      : arns.flatMap((identifier) => [100, 200].map((maximumMessageLength) => ({ path: '/UpdateRoom', input: { identifier, name: 'updated', maximumMessageLength } })));
  return Promise.all(inputs.map((r) => signedPost(endpoint, r.path, r.input, credentials)));
}

export async function runScenario(scenario: Scenario, load: LoadOptions): Promise<LoadResult> {
  const server = await startServer(scenario.server, SERVER_CORE);
  try {
    const requests = await prepare(server.endpoint, scenario);
    return await drive(server.endpoint, requests, load, () => server.cpuSeconds());
  } finally {
    await server.stop();
  }
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      warmup: { type: 'string', default: '5' },
      duration: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '16' },
      only: { type: 'string' },
    },
  });
  const load: LoadOptions = {
    warmupMs: Number(values.warmup) * 1000,
    measureMs: Number(values.duration) * 1000,
    concurrency: Number(values.concurrency),
  };
  const pinnedServer = pinning(SERVER_CORE).length > 0;
  const pinnedLoad = pinSelf(LOAD_CORE);
  const scenarios = SCENARIOS.filter((s, i) => i === 0 || !values.only || s.label.includes(values.only));
  console.log(
    `Control-plane benchmark: ${load.concurrency} in flight, ${values.warmup} s warm-up, ${values.duration} s measured, ` +
      `SigV4-signed keep-alive HTTP/1.1; Node ${process.version}; ${cpus()[0]?.model ?? 'cpu?'} x${cpus().length}`,
  );
  console.log(
    `server ${pinnedServer ? `pinned to core ${SERVER_CORE}` : 'NOT pinned (taskset missing)'}, ` +
      `load generator ${pinnedLoad ? `pinned to core ${LOAD_CORE}` : 'NOT pinned'}`,
  );
  const rows: [string, LoadResult][] = [];
  for (const s of scenarios) {
    process.stderr.write(`running: ${s.label} ...\n`);
    rows.push([s.label, await runScenario(s, load)]);
  }
  const [, base] = rows[0]!;
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'server cores', 'load cores', 'req/s per server core', 'vs baseline', 'errors'];
  const table = rows.map(([label, r]) => [
    label,
    fmt(r.rps, 0),
    fmt(r.p50),
    fmt(r.p99),
    fmt(r.max),
    fmt(r.serverCores),
    fmt(r.loadCores),
    fmt(r.rps / r.serverCores, 0),
    `${fmt(r.rps / base.rps)} / ${fmt(r.rps / r.serverCores / (base.rps / base.serverCores))}`,
    String(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const row of table) console.log(line(row));
  console.log('vs baseline = req/s ratio / per-server-core ratio. Server cores < 1 means the server was not the bottleneck');
  console.log('(load generator, disk sync or a machine shared with other work); req/s per server core is then the better capacity figure.');
  if (rows.some(([, r]) => r.errors > 0)) process.exitCode = 1;
}

await main();
