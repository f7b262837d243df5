/**
 * One benchmark step against one target: a fresh server child, tokens, a fresh load-generator
 * child on the other core, connect everyone (idle RSS is taken here), publish, measure a window
 * (server CPU and RSS from /proc), drain, collect the load generator's result.
 */
import type { ChildProcess } from 'node:child_process';
import type { ConnectReport, LoadgenToRunner, RunnerToLoadgen, StepResult } from './ipc.js';
import { cpuMicros, rssBytes, spawnNode, stopChild } from './proc.js';
import { TARGETS, type TargetName } from './targets.js';

export const LOADGEN_CORE = 1;

export interface StepPlan {
  readonly rooms: number;
  readonly subscribers: number;
}

export interface StepOptions {
  readonly publishers: number;
  /** Messages per second per room, all publishers together. */
  readonly roomRate: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly drainMs: number;
  readonly contentBytes: number;
}

/** The load flags every chat-load runner takes (bench:chat, bench:cluster), for `parseArgs`. */
export function loadFlags(defaultDurationS: number) {
  return {
    duration: { type: 'string', default: String(defaultDurationS) },
    warmup: { type: 'string', default: '3' },
    drain: { type: 'string', default: '5' },
    publishers: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    'content-bytes': { type: 'string', default: '40' },
  } as const;
}

/** StepOptions from the values of `loadFlags` (seconds on the command line, ms here). */
export function loadOptions(values: Record<keyof ReturnType<typeof loadFlags>, string>): StepOptions {
  return {
    publishers: Number(values.publishers),
    roomRate: Number(values.rate),
    warmupMs: Number(values.warmup) * 1000,
    measureMs: Number(values.duration) * 1000,
    drainMs: Number(values.drain) * 1000,
    contentBytes: Number(values['content-bytes']),
  };
}

/** `ROOMSxSUBSCRIBERS` (e.g. 1x5000) from the command-line flag `flag`. */
export function parsePlan(flag: string, s: string): StepPlan {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (m === null) throw new Error(`--${flag}: "${s}" is not ROOMSxSUBSCRIBERS (e.g. 1x5000)`);
  return { rooms: Number(m[1]), subscribers: Number(m[2]) };
}

export interface StepRecord {
  readonly target: TargetName;
  readonly plan: StepPlan;
  readonly connections: number;
  readonly connectFailures: number;
  readonly connectSeconds: number;
  /** Deliveries a second the step offers: rooms × room rate × connections per room. */
  readonly offeredPerSecond: number;
  readonly deliveriesPerSecond: number;
  readonly serverCpuPercent: number;
  readonly cpuMicrosPerDelivery: number;
  readonly rssBeforeBytes: number;
  readonly rssIdleBytes: number;
  readonly rssLoadedBytes: number;
  readonly idleBytesPerConnection: number;
  readonly result: StepResult;
  /** Why the step does not count as sustained; empty when it does. */
  readonly failures: readonly string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Hands out the load generator's IPC messages in order to whoever waits for a type. */
function inbox(child: ChildProcess): <T extends LoadgenToRunner['type']>(type: T, timeoutMs: number) => Promise<Extract<LoadgenToRunner, { type: T }>> {
  const queue: LoadgenToRunner[] = [];
  let wake: (() => void) | undefined;
  child.on('message', (msg: LoadgenToRunner) => {
    queue.push(msg);
    wake?.();
  });
  return async (type, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = queue.findIndex((m) => m.type === type);
      if (i >= 0) return queue.splice(i, 1)[0] as Extract<LoadgenToRunner, { type: typeof type }>;
      if (child.exitCode !== null) throw new Error(`load generator exited (${child.exitCode}) while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`load generator sent no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(left, 200));
      });
    }
  };
}

/** The load generator's part of a step, after the server(s) are up and the tokens minted. */
export interface LoadPlan {
  /** Where the connections go and whose deliveries are timed (ipc.ts's `connect`). */
  readonly connect: Omit<Extract<RunnerToLoadgen, { type: 'connect' }>, 'type' | 'concurrency'>;
  /** Called once everyone is connected, before publishing starts. */
  onConnected?(): void;
  /** Called at the start and end of the measured window (read CPU, counters here). */
  onWindowStart(): void | Promise<void>;
  onWindowEnd(): void | Promise<void>;
}

/**
 * Runs a fresh load-generator child on its own core through one step: connect everyone,
 * publish, warm up, measure a window (the plan's hooks read the servers), stop and drain.
 */
export async function driveLoad(plan: LoadPlan, opts: StepOptions): Promise<{ connected: ConnectReport; result: StepResult }> {
  const loadgen = spawnNode(LOADGEN_CORE, ['--import', 'tsx', 'bench/chat/load-generator.ts'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const tell = (msg: RunnerToLoadgen): void => void loadgen.send(msg);
  const next = inbox(loadgen);
  try {
    tell({ type: 'connect', ...plan.connect, concurrency: 128 });
    const connected = await next('connected', 120_000);
    if (connected.failed > 0) console.log(`    ${connected.failed} connections refused: ${connected.reasons.join('; ')}`);
    await sleep(1000);
    plan.onConnected?.();

    const perPublisherHz = opts.roomRate / opts.publishers;
    const { warmupMs, measureMs } = opts;
    const maxSeq = Math.ceil((perPublisherHz * (warmupMs + measureMs)) / 1000) + 10;
    tell({ type: 'publish', perPublisherHz, maxSeq, contentBytes: opts.contentBytes });
    await sleep(warmupMs);
    tell({ type: 'window-start' });
    await next('window-started', 10_000);
    await plan.onWindowStart();
    await sleep(measureMs);
    await plan.onWindowEnd();
    tell({ type: 'window-end' });
    tell({ type: 'stop', drainMs: opts.drainMs });
    return { connected, result: await next('result', opts.drainMs + 60_000) };
  } finally {
    await stopChild(loadgen);
  }
}

/** Why a step does not count as sustained (p99 ≤ 100 ms, nothing lost or refused, ≥ 95 % of the offered deliveries). */
export function stepFailures(connected: ConnectReport, result: StepResult, offeredPerSecond: number, drainMs: number): string[] {
  const deliveriesPerSecond = result.deliveriesInWindow / result.windowSeconds;
  const failures: string[] = [];
  if (connected.failed > 0) failures.push(`${connected.failed} connections refused`);
  if (result.p99Ms > 100) failures.push(`p99 ${result.p99Ms.toFixed(1)} ms > 100 ms`);
  if (result.lost > 0) failures.push(`${result.lost} deliveries missing after the ${drainMs / 1000} s drain`);
  if (result.duplicates > 0 || result.outOfOrder > 0) failures.push(`${result.duplicates} duplicates, ${result.outOfOrder} out of order`);
  if (result.dropped > 0) failures.push(`${result.dropped} connections dropped`);
  if (Object.keys(result.errors).length > 0) failures.push(`ERROR frames ${JSON.stringify(result.errors)}`);
  if (deliveriesPerSecond < 0.95 * offeredPerSecond) failures.push(`only ${Math.round(deliveriesPerSecond)} of ${offeredPerSecond} deliveries/s`);
  return failures;
}

export async function runStep(target: TargetName, plan: StepPlan, opts: StepOptions): Promise<StepRecord> {
  const server = await TARGETS[target].start();
  try {
    const tokens = await server.tokens({ rooms: plan.rooms, publishers: opts.publishers, subscribers: plan.subscribers });
    await sleep(500);
    const rssBeforeBytes = rssBytes(server.pid);
    let rssIdleBytes = 0;
    let rssLoadedBytes = 0;
    let cpu0 = 0;
    let cpu1 = 0;
    let t0 = 0;
    let wallUs = 0;
    const { connected, result } = await driveLoad(
      {
        connect: { host: '127.0.0.1', port: server.port, rooms: tokens },
        onConnected: () => void (rssIdleBytes = rssBytes(server.pid)),
        onWindowStart() {
          cpu0 = cpuMicros(server.pid);
          t0 = performance.now();
        },
        onWindowEnd() {
          cpu1 = cpuMicros(server.pid);
          wallUs = (performance.now() - t0) * 1000;
          rssLoadedBytes = rssBytes(server.pid);
        },
      },
      opts,
    );

    const connectionsPerRoom = opts.publishers + plan.subscribers;
    const offeredPerSecond = plan.rooms * opts.roomRate * connectionsPerRoom;
    const deliveriesPerSecond = result.deliveriesInWindow / result.windowSeconds;
    return {
      target,
      plan,
      connections: connected.open,
      connectFailures: connected.failed,
      connectSeconds: connected.seconds,
      offeredPerSecond,
      deliveriesPerSecond,
      serverCpuPercent: (100 * (cpu1 - cpu0)) / wallUs,
      cpuMicrosPerDelivery: result.deliveriesInWindow > 0 ? (cpu1 - cpu0) / (deliveriesPerSecond * (wallUs / 1e6)) : Number.NaN,
      rssBeforeBytes,
      rssIdleBytes,
      rssLoadedBytes,
      idleBytesPerConnection: connected.open > 0 ? (rssIdleBytes - rssBeforeBytes) / connected.open : Number.NaN,
      result,
      failures: stepFailures(connected, result, offeredPerSecond, opts.drainMs),
    };
  } finally {
    await server.stop();
  }
}
