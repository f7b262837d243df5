#!/usr/bin/env node
/**
 * CLI entry: read configuration, start Parlor, print where it listens, stop on SIGTERM/SIGINT
 * (within SHUTDOWN_BOUND_MS whatever clients hold), re-read TLS files on SIGHUP.
 */
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './app/config.js';
import { SHUTDOWN_BOUND_MS, startParlor } from './app/start.js';

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
  let parlor;
  try {
    parlor = await startParlor(config);
  } catch (err) {
    console.error(`parlor: ${(err as Error).message}`);
    process.exit(1);
  }
  console.log(`Parlor is ready (embedded mode)`);
  console.log(`  control plane:  ${parlor.endpoint}   (AWS_ENDPOINT_URL_IVSCHAT=${parlor.endpoint})`);
  console.log(`  chat WebSocket: ${parlor.chatUrl}   (regionOrUrl: '${parlor.chatUrl}')`);
  console.log(`  data directory: ${resolve(config.dataDir)}`);
  console.log(
    parlor.authMode === 'open'
      ? `  authentication: open (any request acts as account ${config.accountId}; no auth file given)`
      : `  authentication: enforced (SigV4, accounts from ${config.authFile})`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`parlor: ${signal} received, shutting down (at most ${SHUTDOWN_BOUND_MS / 1000} s)`);
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
