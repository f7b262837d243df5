#!/usr/bin/env node
/**
 * CLI entry: read configuration; with PARLOR_WORKERS above 1 become the primary of that many
 * workers (app/workers.ts), else start Parlor here, print where it listens and stop on
 * SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig } from './app/config.js';
import { bannerLines } from './app/banner.js';
import { startParlor } from './app/start.js';
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
    console.log(`parlor: ${signal} received, shutting down${worker === undefined ? '' : ` worker ${worker}`}`);
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
}

void main();
