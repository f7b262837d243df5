/**
 * One step of bench:cluster: fresh Parlor node processes (built and started as `npm start` does,
 * pinned to core 0) in one of three layouts, the chat load generator on core 1, and what each
 * node, Redis and PostgreSQL did during the measured window.
 *
 * Layouts:
 *   embedded    one node in embedded mode (SQLite, in-process fan-out): the baseline
 *   same-node   one node in cluster mode (PostgreSQL + Redis); publishers and subscribers on it
 *   cross-node  two nodes in cluster mode; publishers on node A, subscribers on node B, so every
 *               subscriber's copy crosses Redis. B has core 0 to itself, as the one node of the
 *               other layouts; A (10 connections, light) shares the load generator's core, so
 *               the two nodes do not take turns on one core (which would add scheduling delay
 *               that separate machines do not have).
 * Cluster steps get a fresh database (through a statement-counting proxy) and their own cluster
 * name on the run's private redis-server, whose INFO counters are read around the window.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { driveLoad, LOADGEN_CORE, stepFailures, type StepOptions, type StepPlan } from '../chat/step.js';
import { cpuMicros } from '../chat/proc.js';
import type { StepResult } from '../chat/ipc.js';
import { parlorTarget, SERVER_CORE, type RunningTarget } from '../chat/targets.js';
import { freshDatabase } from '../../test/helpers/postgres.js';
import { startPgCountingProxy, type PgCounts } from '../../test/helpers/pg-counting-proxy.js';

export const LAYOUTS = ['embedded', 'same-node', 'cross-node'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** One node's share of a window. */
export interface NodeWindow {
  /** Which connections it holds. */
  readonly holds: 'everyone' | 'publishers' | 'subscribers';
  /** utime + stime over the window, µs. */
  readonly cpuMicros: number;
  /** Deliveries it made in the window (the load generator's count, split by connections held). */
  readonly deliveries: number;
}

/** Redis's own counters over the window (the private server serves only this run). */
export interface RedisWindow {
  /** Calls per command name (INFO commandstats), INFO itself left out. */
  readonly commands: Readonly<Record<string, number>>;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** used_cpu_user + used_cpu_sys of redis-server, µs. */
  readonly cpuMicros: number;
}

export interface ClusterStepRecord {
  readonly layout: Layout;
  readonly plan: StepPlan;
  readonly connections: number;
  readonly offeredPerSecond: number;
  readonly deliveriesPerSecond: number;
  /**
   * Messages whose deliveries fell in the window (deliveries ÷ connections per room): what the
   * nodes handled then, also when they fell behind the load generator. The window, seconds.
   */
  readonly messages: number;
  readonly windowSeconds: number;
  readonly nodes: readonly NodeWindow[];
  /** Every node's CPU over every delivery, µs. */
  readonly cpuMicrosPerDelivery: number;
  readonly redis: RedisWindow | undefined;
  readonly postgres: PgCounts | undefined;
  readonly result: StepResult;
  readonly failures: readonly string[];
}

/** What the steps of one run share: the private redis-server and a client for its INFO. */
export interface ClusterServices {
  readonly redisUrl: string;
  readonly admin: Redis;
}

interface InfoSnapshot {
  readonly values: Map<string, number>;
  /** Length of the last reply whose bytes the next snapshot counts (see `redisWindow`). */
  readonly trailingReplyBytes: number;
}

/** INFO commandstats, cpu, then stats last, so that only the stats reply follows the counters read. */
async function info(admin: Redis): Promise<InfoSnapshot> {
  const values = new Map<string, number>();
  let text = '';
  for (const section of ['commandstats', 'cpu', 'stats']) {
    text = await admin.info(section);
    for (const line of text.split('\r\n')) {
      const command = /^cmdstat_(\w+):calls=(\d+)/.exec(line);
      if (command) values.set(`cmd:${command[1]}`, Number(command[2]));
      const field = /^(total_net_input_bytes|total_net_output_bytes|used_cpu_user|used_cpu_sys):([\d.]+)/.exec(line);
      if (field) values.set(field[1]!, Number(field[2]));
    }
  }
  // RESP bulk string: `$<length>\r\n<bytes>\r\n`.
  const body = Buffer.byteLength(text);
  return { values, trailingReplyBytes: body + String(body).length + 5 };
}

/** The window's Redis work: `after` − `before`, less the `before` stats reply that went out inside it. */
function redisWindow(before: InfoSnapshot, after: InfoSnapshot): RedisWindow {
  const d = (key: string): number => (after.values.get(key) ?? 0) - (before.values.get(key) ?? 0);
  const commands: Record<string, number> = {};
  for (const key of after.values.keys()) {
    if (key.startsWith('cmd:') && key !== 'cmd:info' && d(key) !== 0) commands[key.slice(4)] = d(key);
  }
  return {
    commands,
    bytesIn: d('total_net_input_bytes'),
    bytesOut: d('total_net_output_bytes') - before.trailingReplyBytes,
    cpuMicros: (d('used_cpu_user') + d('used_cpu_sys')) * 1e6,
  };
}

const label = (p: StepPlan): string => `${p.rooms}x${p.subscribers}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one layout at one size. `cpuProfileDir`: each node writes a V8 CPU profile
 * (`node --cpu-prof`) there when it stops.
 */
export async function runClusterStep(layout: Layout, plan: StepPlan, opts: StepOptions, services: ClusterServices, cpuProfileDir?: string): Promise<ClusterStepRecord> {
  const database = layout === 'embedded' ? undefined : await freshDatabase();
  const proxy = database === undefined ? undefined : await startPgCountingProxy(database.url);
  const clusterName = `parlor-bench-${randomBytes(4).toString('hex')}`;
  const nodeFlags = (id: string): string[] => (cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`, `--cpu-prof-name=${layout}-${label(plan)}-${id}.cpuprofile`]);
  const nodeEnv = (id: string): Record<string, string> =>
    proxy === undefined ? {} : { PARLOR_DATABASE_URL: proxy.url, PARLOR_REDIS_URL: services.redisUrl, PARLOR_CLUSTER_NAME: clusterName, PARLOR_NODE_ID: id };
  const nodes: RunningTarget[] = [];
  try {
    // One after the other: the first node creates the schema and the token secret.
    const ids = layout === 'cross-node' ? ['bench-a', 'bench-b'] : ['bench-a'];
    for (const id of ids) {
      const core = ids.length > 1 && id === 'bench-a' ? LOADGEN_CORE : SERVER_CORE;
      nodes.push(await parlorTarget({ env: nodeEnv(id), nodeFlags: nodeFlags(id), core })());
    }
    const [a, b] = [nodes[0]!, nodes[1] ?? nodes[0]!];
    const tokens = await a.tokens({ rooms: plan.rooms, publishers: opts.publishers, subscribers: plan.subscribers });
    await sleep(500);
    let cpu0: number[] = [];
    let cpu1: number[] = [];
    let redis0: InfoSnapshot | undefined;
    let redis1: InfoSnapshot | undefined;
    let pg0: PgCounts | undefined;
    let pg1: PgCounts | undefined;
    const { connected, result } = await driveLoad(
      {
        connect: { host: '127.0.0.1', port: a.port, subscriberPort: b.port, rooms: tokens, timePublishers: layout !== 'cross-node' },
        async onWindowStart() {
          cpu0 = nodes.map((n) => cpuMicros(n.pid));
          pg0 = proxy?.counts();
          if (proxy) redis0 = await info(services.admin);
        },
        async onWindowEnd() {
          cpu1 = nodes.map((n) => cpuMicros(n.pid));
          pg1 = proxy?.counts();
          if (proxy) redis1 = await info(services.admin);
        },
      },
      opts,
    );
    const perRoom = opts.publishers + plan.subscribers;
    const offeredPerSecond = plan.rooms * opts.roomRate * perRoom;
    const deliveries = result.deliveriesInWindow;
    const nodeWindows: NodeWindow[] =
      nodes.length === 1
        ? [{ holds: 'everyone', cpuMicros: cpu1[0]! - cpu0[0]!, deliveries }]
        : [
            { holds: 'publishers', cpuMicros: cpu1[0]! - cpu0[0]!, deliveries: (deliveries * opts.publishers) / perRoom },
            { holds: 'subscribers', cpuMicros: cpu1[1]! - cpu0[1]!, deliveries: (deliveries * plan.subscribers) / perRoom },
          ];
    const cpuTotal = nodeWindows.reduce((sum, n) => sum + n.cpuMicros, 0);
    return {
      layout,
      plan,
      connections: connected.open,
      offeredPerSecond,
      deliveriesPerSecond: deliveries / result.windowSeconds,
      messages: deliveries / perRoom,
      windowSeconds: result.windowSeconds,
      nodes: nodeWindows,
      cpuMicrosPerDelivery: deliveries > 0 ? cpuTotal / deliveries : Number.NaN,
      redis: redis0 && redis1 ? redisWindow(redis0, redis1) : undefined,
      postgres: pg0 && pg1 ? { statements: pg1.statements - pg0.statements, bytesToServer: pg1.bytesToServer - pg0.bytesToServer, bytesFromServer: pg1.bytesFromServer - pg0.bytesFromServer, connections: pg1.connections - pg0.connections } : undefined,
      result,
      failures: stepFailures(connected, result, offeredPerSecond, opts.drainMs),
    };
  } finally {
    for (const node of nodes) await node.stop();
    await proxy?.close();
    await database?.drop();
  }
}
