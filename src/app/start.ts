/**
 * The composition root: the one place that turns a Config into running parts. It chooses the
 * implementations (embedded: SQLite store, in-process fan-out, memory rate limiter; open or
 * file-based authentication; review through Lambda or webhooks; chat logs to local files or
 * AWS), wires the control plane and the chat core, and starts the one HTTP server that carries
 * both planes. main.ts, the tests and the benchmarks all start Parlor here.
 */
import type { LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Authenticator } from '../auth/authenticator.js';
import { ChatService } from '../chat/chat-service.js';
import { NO_CHAT_LOG, type ChatLogger } from '../chat-log/chat-logger.js';
import type { ControlPlaneDeps } from '../control-plane/context.js';
import { CHAT_HANDLERS, CONTROL_PLANE_HANDLERS, type OperationHandlers } from '../control-plane/handlers.js';
import { observeAll } from '../domain/change-observer.js';
import { LocalFanOut } from '../fan-out/local-fan-out.js';
import { ChatTokenCodec } from '../protocol/chat-token-codec.js';
import { MemoryPresence } from '../presence/memory-presence.js';
import { MemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import type { ReviewGate } from '../review/review-gate.js';
import { BEARER_REQUIRED, bearerMatches } from '../server/bearer.js';
import { clientAddressResolver } from '../server/client-address.js';
import { createCors } from '../server/cors.js';
import { createHttpServer, HttpStats, stopHttpServer } from '../server/http-server.js';
import { encodeTextFrame } from '../server/ws-frame.js';
import { WsGateway } from '../server/ws-gateway.js';
import { registerPresenceMetrics } from '../server/presence-metrics.js';
import { registerChatMetrics, registerHttpMetrics } from '../server/ws-metrics.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { createAuthenticator } from './authentication.js';
import { openChatLogging } from './chat-logging.js';
import { ConfigError, isLoopback, type Config } from './config.js';
import { prepareDataDir } from './data-dir.js';
import { buildReview } from './review.js';
import { readTlsFiles } from './tls-files.js';
import { loadTokenSecret } from './token-secret.js';

/**
 * Shutdown, in order and bounded (docs/deployment.md): new connections refused at once; HTTP
 * requests in progress get HTTP_SHUTDOWN_GRACE_MS to be answered, then every HTTP socket left
 * is cut; chat sockets get a close frame and CHAT_CLOSE_DEADLINE_MS for the close handshake,
 * then are cut; then chat logs are flushed and the store closed. main.ts ends the process at
 * SHUTDOWN_BOUND_MS whatever is still pending.
 */
export const HTTP_SHUTDOWN_GRACE_MS = 3000;
export const CHAT_CLOSE_DEADLINE_MS = 2000;
export const SHUTDOWN_BOUND_MS = 10_000;
/** The HTTP (non-chat) socket cap is PARLOR_MAX_CONNECTIONS, but never below this. */
export const MIN_HTTP_SOCKET_CAP = 1024;

export interface RunningParlor {
  readonly config: Config;
  /** `http(s)://host:port` of the control plane. */
  readonly endpoint: string;
  /** `ws(s)://host:port` for the chat client's `regionOrUrl`. */
  readonly chatUrl: string;
  readonly port: number;
  readonly authMode: Authenticator['mode'];
  /**
   * Re-reads the TLS certificate and key files (SIGHUP); new connections get the new pair.
   * Resolves false (and logs why) when they cannot be used, keeping the old pair.
   */
  reloadTls(): boolean;
  /** Stops accepting, closes chat sockets cleanly, flushes, closes the store. Idempotent. */
  close(): Promise<void>;
}

/** Test- and benchmark-facing knobs (not user configuration). */
export interface StartOptions {
  /** The clock (epoch ms) of the control plane and chat; default Date.now. */
  readonly now?: () => number;
  /** Unsent bytes per chat connection before it is dropped as a slow reader. */
  readonly maxBufferedBytes?: number;
  /** Chat heartbeat (ping) interval in ms. */
  readonly heartbeatMs?: number;
  /** How often session expiry is checked, in ms. */
  readonly sessionTickMs?: number;
  /** Laid over the Lambda client's config for review handlers (e.g. endpoint, credentials). */
  readonly reviewLambda?: Omit<LambdaClientConfig, 'region'>;
  /** Replaces the review gate built from the configuration. */
  readonly review?: ReviewGate;
  /** Replaces the chat-log pipeline (tests that capture records); default: openChatLogging. */
  readonly chatLog?: ChatLogger;
  /** HTTP slow-client bounds in ms (defaults in http-server.ts). */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** How long a departure waits for a return before `parlor:user-left` (ms); see PRESENCE_GRACE_MS. */
  readonly presenceGraceMs?: number;
}

export async function startParlor(
  config: Config,
  logger: Logger = pino({ level: config.logLevel }),
  options: StartOptions = {},
): Promise<RunningParlor> {
  prepareDataDir(config.dataDir);
  const tls = readTlsFiles(config);
  const authenticator: Authenticator = createAuthenticator(config);
  if (authenticator.mode === 'open' && !isLoopback(config.host) && !config.insecureOpen) {
    throw new ConfigError(
      `Refusing to serve open mode (no auth file) on ${config.host}: anyone who can reach it could do anything. ` +
        'Give an auth file (PARLOR_AUTH_FILE), bind to 127.0.0.1, or pass --insecure-open.',
    );
  }
  // One registry for the process; parts that count things register their metrics on it.
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  // Before anything opens: a bad PARLOR_REVIEW_WEBHOOKS stops the start with a ConfigError.
  const review = buildReview(config, metrics, logger, options.reviewLambda);
  const now = options.now ?? Date.now;
  const store = new SqliteStore(join(config.dataDir, 'parlor.db'));
  const fanOut = new LocalFanOut();
  const rateLimiter = new MemoryRateLimiter(now);
  const presence = new MemoryPresence();
  // Chat logging: chat records delivered frames; the pipeline observes configuration changes.
  // A test may inject its own ChatLogger instead (then no pipeline is opened).
  const pipeline = options.chatLog === undefined ? await openChatLogging(config, store, metrics, logger) : undefined;
  const chatLog: ChatLogger = pipeline ?? options.chatLog ?? NO_CHAT_LOG;
  const chat = new ChatService({
    fanOut,
    rateLimiter,
    review: options.review ?? review.gate,
    chatLog,
    encode: encodeTextFrame,
    now,
    log: logger,
    tokens: new ChatTokenCodec(await loadTokenSecret(store, config.dataDir)),
    getRoom: (arn) => store.getRoom(arn),
    usedTokens: store,
    bans: store,
    presence,
    ...(options.presenceGraceMs !== undefined ? { presenceGraceMs: options.presenceGraceMs } : {}),
  });
  chat.start(options.sessionTickMs);
  const clientAddress = clientAddressResolver(config.trustedProxies);
  const gateway = new WsGateway({
    chat,
    maxConnections: config.maxConnections,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    clientAddress,
    log: logger,
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  registerChatMetrics(metrics, gateway);
  registerPresenceMetrics(metrics, presence, chat.presenceEvents);
  const httpStats = new HttpStats();
  registerHttpMetrics(metrics, httpStats);
  const metricsToken = config.metricsToken;
  const deps: ControlPlaneDeps = { store, now, changes: observeAll(pipeline ? [chat.changes, pipeline] : [chat.changes]), chat };
  const handlers: OperationHandlers = { ...CONTROL_PLANE_HANDLERS, ...CHAT_HANDLERS };

  const server = createHttpServer({
    authenticator,
    handlers,
    deps,
    logger,
    onUpgrade: gateway.onUpgrade,
    plainRoutes: {
      '/healthz': async () => ({ contentType: 'application/json', body: JSON.stringify({ status: 'ok' }) }),
      '/metrics': async (req) =>
        metricsToken !== undefined && !bearerMatches(req, metricsToken) ? BEARER_REQUIRED : { contentType: metrics.contentType, body: await metrics.metrics() },
    },
    ...(tls ? { tls } : {}),
    cors: createCors(config.corsOrigins),
    clientAddress,
    // Sockets that are not chat are capped by the same number (at least MIN_HTTP_SOCKET_CAP), counted apart from chat sockets.
    maxHttpSockets: Math.max(MIN_HTTP_SOCKET_CAP, config.maxConnections),
    stats: httpStats,
    ...(options.headersTimeoutMs !== undefined ? { headersTimeoutMs: options.headersTimeoutMs } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new ConfigError(`PARLOR_PORT / --port: port ${config.port} on ${config.host} is already in use (EADDRINUSE); stop what uses it, or choose another port (0 picks a free one)`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new ConfigError(`PARLOR_HOST / --host: ${config.host} is not an address of this machine; use one of its addresses, 127.0.0.1 or 0.0.0.0`));
      else if (err.code === 'EACCES') reject(new ConfigError(`PARLOR_PORT / --port: this user may not bind port ${config.port} (ports below 1024 need privileges); choose a port above 1023`));
      else reject(err);
    });
    server.listen(config.port, config.host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const secure = tls !== undefined;

  let closing: Promise<void> | undefined;
  return {
    config,
    endpoint: `${secure ? 'https' : 'http'}://${hostForUrl}:${port}`,
    chatUrl: `${secure ? 'wss' : 'ws'}://${hostForUrl}:${port}`,
    port,
    authMode: authenticator.mode,
    reloadTls() {
      if (!secure) return false;
      try {
        const next = readTlsFiles(config)!;
        (server as unknown as TlsServer).setSecureContext(next);
        logger.info({ cert: config.tlsCert }, 'TLS certificate reloaded');
        return true;
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'TLS certificate not reloaded; still serving the previous one');
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        // Refuses new connections now; requests in progress get the grace, then are cut.
        const httpStopped = stopHttpServer(server, HTTP_SHUTDOWN_GRACE_MS);
        // Chat sockets with a close frame (1001), so clients see a clean end.
        await gateway.close(CHAT_CLOSE_DEADLINE_MS);
        await chat.stop();
        await httpStopped;
        await presence.close();
        await fanOut.close();
        await rateLimiter.close();
        await chatLog.close();
        review.close();
        await store.close();
      })();
      return closing;
    },
  };
}
