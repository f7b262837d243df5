#!/usr/bin/env node
/**
 * CLI entry: read configuration; with PARLOR_WORKERS above 1 become the primary of that many
 * workers (app/workers.ts), else start Parlor here, print where it listens and stop on
 * SIGTERM/SIGINT (within SHUTDOWN_BOUND_MS whatever clients hold); re-read TLS files on SIGHUP.
 */
import { ConfigError, loadConfig } from './app/config.js';
import { bannerLines } from './app/banner.js';
import { SHUTDOWN_BOUND_MS, startParlor } from './app/start.js';
import { superviseWorkers, workerCount, workerIndex, type WorkerMessage } from './app/workers.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`parlor: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const worker = workerIndex();
  const workers = workerCount(config.workers);
  if (workers > 1 && worker === undefined) {
    superviseWorkers(workers);
    return;
  }
  let parlor;
  try {
    parlor = await startParlor(config, undefined, worker === undefined ? {} : { nodeIdSuffix: `/${worker}` });
  } catch (err) {
    console.error(`parlor: ${(err as Error).message}`);
    process.exit(1);
  }
  const banner = bannerLines(parlor);
  if (worker !== undefined && process.send) {
    const ready: WorkerMessage = { kind: 'ready', nodeId: parlor.nodeId, banner };
    process.send(ready);
  } else {
    for (const line of banner) console.log(line);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`parlor: ${signal} received, shutting down${worker === undefined ? '' : ` worker ${worker}`} (at most ${SHUTDOWN_BOUND_MS / 1000} s)`);
    // The bound holds whatever is stuck (a store or chat-log destination that does not answer).
    setTimeout(() => {
      console.error(`parlor: shutdown did not finish within ${SHUTDOWN_BOUND_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_BOUND_MS).unref();
    parlor.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('parlor: shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    if (config.tlsCert === undefined) console.log('parlor: SIGHUP received; nothing to reload (no TLS)');
    else if (parlor.reloadTls()) console.log(`parlor: SIGHUP received, TLS certificate re-read from ${config.tlsCert}`);
  });
}

void main();
