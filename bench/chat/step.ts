/**
 * One benchmark step against one target: a fresh server child, tokens, a fresh load-generator
 * child on the other core, connect everyone (idle RSS is taken here), publish, measure a window
 * (server CPU and RSS from /proc), drain, collect the load generator's result.
 */
import type { ChildProcess } from 'node:child_process';
import type { LoadgenToRunner, RunnerToLoadgen, StepResult } from './ipc.js';
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

export async function runStep(target: TargetName, plan: StepPlan, opts: StepOptions): Promise<StepRecord> {
  const server = await TARGETS[target].start();
  const loadgen = spawnNode(LOADGEN_CORE, ['--import', 'tsx', 'bench/chat/load-generator.ts'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const tell = (msg: RunnerToLoadgen): void => void loadgen.send(msg);
  const next = inbox(loadgen);
  try {
    const tokens = await server.tokens({ rooms: plan.rooms, publishers: opts.publishers, subscribers: plan.subscribers });
    await sleep(500);
    const rssBeforeBytes = rssBytes(server.pid);
    tell({ type: 'connect', host: '127.0.0.1', port: server.port, rooms: tokens, concurrency: 128 });
    const connected = await next('connected', 120_000);
    if (connected.failed > 0) console.log(`    ${connected.failed} connections refused: ${connected.reasons.join('; ')}`);
    await sleep(1000);
    const rssIdleBytes = rssBytes(server.pid);

    const perPublisherHz = opts.roomRate / opts.publishers;
    const { warmupMs, measureMs } = opts;
    const maxSeq = Math.ceil((perPublisherHz * (warmupMs + measureMs)) / 1000) + 10;
    tell({ type: 'publish', perPublisherHz, maxSeq, contentBytes: opts.contentBytes });
    await sleep(warmupMs);
    tell({ type: 'window-start' });
    await next('window-started', 10_000);
    const cpu0 = cpuMicros(server.pid);
    const t0 = performance.now();
    await sleep(measureMs);
    const cpu1 = cpuMicros(server.pid);
    const wallUs = (performance.now() - t0) * 1000;
    tell({ type: 'window-end' });
    const rssLoadedBytes = rssBytes(server.pid);
    tell({ type: 'stop', drainMs: opts.drainMs });
    const result = await next('result', opts.drainMs + 60_000);

    const connectionsPerRoom = opts.publishers + plan.subscribers;
    const offeredPerSecond = plan.rooms * opts.roomRate * connectionsPerRoom;
    const deliveriesPerSecond = result.deliveriesInWindow / result.windowSeconds;
    const failures: string[] = [];
    if (connected.failed > 0) failures.push(`${connected.failed} connections refused`);
    if (result.p99Ms > 100) failures.push(`p99 ${result.p99Ms.toFixed(1)} ms > 100 ms`);
    if (result.lost > 0) failures.push(`${result.lost} deliveries missing after the ${opts.drainMs / 1000} s drain`);
    if (result.duplicates > 0 || result.outOfOrder > 0) failures.push(`${result.duplicates} duplicates, ${result.outOfOrder} out of order`);
    if (result.dropped > 0) failures.push(`${result.dropped} connections dropped`);
    if (Object.keys(result.errors).length > 0) failures.push(`ERROR frames ${JSON.stringify(result.errors)}`);
    if (deliveriesPerSecond < 0.95 * offeredPerSecond) failures.push(`only ${Math.round(deliveriesPerSecond)} of ${offeredPerSecond} deliveries/s`);
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
      failures,
    };
  } finally {
    await stopChild(loadgen);
    await server.stop();
  }
}
