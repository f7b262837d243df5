/**
 * The composition root: the one place that turns a Config into running parts. It chooses the
 * implementations (embedded: SQLite store, in-process fan-out, memory rate limiter; open or
 * file-based authentication; review through Lambda or webhooks; chat logs to local files or
 * AWS), wires the control plane and the chat core, and starts the one HTTP server that carries
 * both planes. main.ts, the tests and the benchmarks all start Parlor here.
 */
import type { LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { AddressInfo } from 'node:net';
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
import { HistoryWriter } from '../history/history-writer.js';
import { SqliteMessageHistory } from '../history/sqlite-message-history.js';
import { ChatTokenCodec } from '../protocol/chat-token-codec.js';
import { MemoryPresence } from '../presence/memory-presence.js';
import { MemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import type { ReviewGate } from '../review/review-gate.js';
import { createHttpServer } from '../server/http-server.js';
import { encodeTextFrame } from '../server/ws-frame.js';
import { WsGateway } from '../server/ws-gateway.js';
import { registerPresenceMetrics } from '../server/presence-metrics.js';
import { registerChatMetrics } from '../server/ws-metrics.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { createAuthenticator } from './authentication.js';
import { openChatLogging } from './chat-logging.js';
import { ConfigError, isLoopback, type Config } from './config.js';
import { buildReview } from './review.js';
import { loadTokenSecret } from './token-secret.js';

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
  /** How long a departure waits for a return before `parlor:user-left` (ms); see PRESENCE_GRACE_MS. */
  readonly presenceGraceMs?: number;
}

export async function startParlor(
  config: Config,
  logger: Logger = pino({ level: config.logLevel }),
  options: StartOptions = {},
): Promise<RunningParlor> {
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
  const history = new HistoryWriter(new SqliteMessageHistory(join(config.dataDir, 'history.db')), logger);
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
    history,
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
  const gateway = new WsGateway({
    chat,
    maxConnections: config.maxConnections,
    log: logger,
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  registerChatMetrics(metrics, gateway);
  registerPresenceMetrics(metrics, presence, chat.presenceEvents);
  const deps: ControlPlaneDeps = { store, now, changes: observeAll(pipeline ? [chat.changes, pipeline] : [chat.changes]), chat, history };
  const handlers: OperationHandlers = { ...CONTROL_PLANE_HANDLERS, ...CHAT_HANDLERS };

  const server = createHttpServer({
    authenticator,
    handlers,
    deps,
    logger,
    onUpgrade: gateway.onUpgrade,
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
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Chat sockets first, with a close frame (1001), so clients see a clean end.
        await gateway.close();
        await chat.stop();
        await stopped;
        await presence.close();
        await fanOut.close();
        await rateLimiter.close();
        await chatLog.close();
        await history.close();
        review.close();
        await store.close();
      })();
      return closing;
    },
  };
}
