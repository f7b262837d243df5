/**
 * The composition root: the one place that turns a Config into running parts. It chooses the
 * implementations (embedded: SQLite store, open or file-based authentication), wires the
 * control plane and starts the HTTP server. main.ts and the tests both start Parlor here.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Authenticator } from '../auth/authenticator.js';
import { OpenAuthenticator } from '../auth/open-authenticator.js';
import type { ControlPlaneDeps } from '../control-plane/context.js';
import { CONTROL_PLANE_HANDLERS, PENDING_CHAT_HANDLERS, type OperationHandlers } from '../control-plane/handlers.js';
import { createHttpServer } from '../server/http-server.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { openChatLogging } from './chat-logging.js';
import { ConfigError, isLoopback, type Config } from './config.js';

export interface RunningParlor {
  readonly config: Config;
  /** `http://host:port` of the control plane. */
  readonly endpoint: string;
  /** `ws://host:port` for the chat client's `regionOrUrl`. */
  readonly chatUrl: string;
  readonly port: number;
  readonly authMode: Authenticator['mode'];
  /** Stops accepting, closes chat sockets cleanly, flushes, closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function startParlor(config: Config, logger: Logger = pino({ level: config.logLevel })): Promise<RunningParlor> {
  const authenticator: Authenticator = new OpenAuthenticator(config.accountId, config.region);
  if (authenticator.mode === 'open' && !isLoopback(config.host) && !config.insecureOpen) {
    throw new ConfigError(
      `Refusing to serve open mode (no auth file) on ${config.host}: anyone who can reach it could do anything. ` +
        'Give an auth file (PARLOR_AUTH_FILE), bind to 127.0.0.1, or pass --insecure-open.',
    );
  }
  // One registry for the process; parts that count things register their metrics on it.
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const store = new SqliteStore(join(config.dataDir, 'parlor.db'));
  // Chat logging: record() is called by chat; the pipeline observes configuration changes.
  const chatLog = await openChatLogging(config, store, metrics, logger);
  const deps: ControlPlaneDeps = { store, now: Date.now, changes: chatLog };
  const handlers: OperationHandlers = { ...CONTROL_PLANE_HANDLERS, ...PENDING_CHAT_HANDLERS };

  const server = createHttpServer({
    authenticator,
    handlers,
    deps,
    logger,
    plainRoutes: {
      '/healthz': async () => ({ contentType: 'application/json', body: JSON.stringify({ status: 'ok' }) }),
      '/metrics': async () => ({ contentType: metrics.contentType, body: await metrics.metrics() }),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    config,
    endpoint: `http://${hostForUrl}:${port}`,
    chatUrl: `ws://${hostForUrl}:${port}`,
    port,
    authMode: authenticator.mode,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        // Delivers (or spools) every pending chat-log record; needs the store no more.
        await chatLog.close();
        await store.close();
      })();
      return closing;
    },
  };
}
