/**
 * PARLOR_WORKERS above 1: this process becomes the primary of `node:cluster` workers that each
 * run a whole Parlor node (cluster mode; config.ts refuses more than one worker otherwise) and
 * share the port — the primary accepts connections and hands them to workers in turn. A worker
 * that dies is replaced (at once, or after a growing pause when workers keep dying early); its
 * chat clients lose their socket without a close frame, which makes the official client
 * reconnect, to another worker. SIGTERM / SIGINT to the primary drains every worker (each runs
 * its own shutdown) and exits once they are all gone; SIGHUP is passed on to every worker (each
 * re-reads its TLS files, main.ts).
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from './config.js';

/** The environment variable that tells a worker its index (1-based). */
export const WORKER_INDEX_ENV = 'PARLOR_WORKER_INDEX';

/** Messages from a worker to the primary. */
export type WorkerMessage = { readonly kind: 'ready'; readonly nodeId: string; readonly banner: readonly string[] };

/** A worker that dies sooner than this after its start counts as dying early, in ms. */
const EARLY_DEATH_MS = 5000;
const MAX_RESTART_PAUSE_MS = 30_000;

export function workerCount(workers: Config['workers']): number {
  return workers === 'auto' ? availableParallelism() : workers;
}

/** The index of this process when it is a worker, else undefined. */
export function workerIndex(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(process.env[WORKER_INDEX_ENV]);
  return Number.isInteger(index) && index > 0 ? index : undefined;
}

function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'ready';
}

/** Runs the primary: starts `count` workers, replaces those that die, drains them all on a signal. */
export function superviseWorkers(count: number, out: Pick<Console, 'log' | 'error'> = console): void {
  const started = new Map<Worker, { index: number; at: number; ready: boolean }>();
  const nodeIds = new Map<number, string>();
  let everReady = false;
  let stopping = false;
  let earlyDeaths = 0;
  let exitCode = 0;

  const fork = (index: number): void => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    started.set(worker, { index, at: Date.now(), ready: false });
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      const entry = started.get(worker);
      if (!entry) return;
      entry.ready = true;
      nodeIds.set(index, message.nodeId);
      if (!everReady && nodeIds.size === count) {
        everReady = true;
        earlyDeaths = 0;
        const [first, ...rest] = message.banner;
        out.log(first?.replace(' mode)', ` mode, ${count} workers)`) ?? 'Parlor is ready');
        for (const line of rest) out.log(line.startsWith('  node id:') ? `  node id:        ${[...nodeIds.values()].join(', ')}` : line);
      } else if (everReady) {
        out.log(`parlor: worker ${index} is serving again (node ${message.nodeId})`);
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const entry = started.get(worker);
    started.delete(worker);
    if (!entry) return;
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (started.size === 0) process.exit(exitCode);
      return;
    }
    if (!everReady && !entry.ready) {
      // A worker that could not start (bad configuration, database unreachable): the others
      // would fail alike, so the start fails as a single process's would.
      out.error(`parlor: worker ${entry.index} failed to start (exit ${code ?? signal}); stopping`);
      stopAll(1);
      return;
    }
    const early = Date.now() - entry.at < EARLY_DEATH_MS;
    earlyDeaths = early ? earlyDeaths + 1 : 0;
    const pause = early ? Math.min(MAX_RESTART_PAUSE_MS, 500 * 2 ** (earlyDeaths - 1)) : 0;
    out.error(`parlor: worker ${entry.index} died (${signal ?? `exit ${code}`}); starting a new one${pause > 0 ? ` in ${pause} ms` : ''}`);
    setTimeout(() => {
      if (!stopping) fork(entry.index);
    }, pause);
  });

  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (started.size === 0) process.exit(exitCode);
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
  };
  const onSignal = (signal: string) => {
    if (!stopping) out.log(`parlor: ${signal} received, draining ${started.size} workers`);
    stopAll(0);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  // Without a listener SIGHUP would end the primary (and with it every worker).
  process.on('SIGHUP', () => {
    for (const worker of started.keys()) worker.process.kill('SIGHUP');
  });
  for (let index = 1; index <= count; index++) fork(index);
}
