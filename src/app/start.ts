/**
 * The composition root: the one place that turns a Config into running parts. embedded.ts or
 * cluster.ts chooses where state lives and how nodes talk (the Backend); this file builds
 * everything else the same way in both modes — authentication, review, chat logging, the
 * control plane, the chat core and the one HTTP server that carries both planes — and owns the
 * node's lifecycle: readiness, the shutdown drain, and closing what was opened (also when a
 * later step of the start fails). main.ts, the tests and the benchmarks all start Parlor here.
 */
import type { LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Server as TlsServer } from 'node:tls';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Authenticator } from '../auth/authenticator.js';
import { ChatService } from '../chat/chat-service.js';
import { NO_CHAT_LOG, type ChatLogger } from '../chat-log/chat-logger.js';
import type { ControlPlaneDeps } from '../control-plane/context.js';
import { CHAT_HANDLERS, CONTROL_PLANE_HANDLERS, type OperationHandlers } from '../control-plane/handlers.js';
import { HistoryWriter } from '../history/history-writer.js';
import { AwaitedAnswers } from '../lib/awaited-answers.js';
import { TurnEnd } from '../lib/turn-end.js';
import { ChatTokenCodec } from '../protocol/chat-token-codec.js';
import type { ReviewGate } from '../review/review-gate.js';
import { BEARER_REQUIRED, bearerMatches } from '../server/bearer.js';
import { clientAddressResolver } from '../server/client-address.js';
import { createCors } from '../server/cors.js';
import { ControlPlaneMetrics } from '../server/control-plane-metrics.js';
import { createHttpServer, HttpStats, stopHttpServer } from '../server/http-server.js';
import { StaticFiles } from '../server/static-files.js';
import { encodeTextFrame } from '../server/ws-frame.js';
import { WsGateway } from '../server/ws-gateway.js';
import { registerPresenceMetrics } from '../server/presence-metrics.js';
import { registerChatMetrics, registerHttpMetrics } from '../server/ws-metrics.js';
import { createAuthenticator } from './authentication.js';
import type { Backend } from './backend.js';
import { openChatLogging } from './chat-logging.js';
import { openCluster } from './cluster.js';
import { prepareDataDir } from './data-dir.js';
import { ConfigError, isLoopback, modeOf, type Config, type Mode } from './config.js';
import { openEmbedded } from './embedded.js';
import { Opened } from './opened.js';
import { Readiness } from './readiness.js';
import { buildReview } from './review.js';
import { readTlsFiles } from './tls-files.js';

/**
 * Shutdown, bounded (docs/deployment.md): /readyz 503 and the chat drain first; HTTP requests
 * in progress get HTTP_SHUTDOWN_GRACE_MS to be answered, then every HTTP socket left is cut;
 * then chat logs are flushed and the store closed. main.ts ends the process at
 * SHUTDOWN_BOUND_MS whatever is still pending.
 */
export const HTTP_SHUTDOWN_GRACE_MS = 3000;
export const SHUTDOWN_BOUND_MS = 10_000;
/** The HTTP (non-chat) socket cap is PARLOR_MAX_CONNECTIONS, but never below this. */
export const MIN_HTTP_SOCKET_CAP = 1024;

export interface RunningParlor {
  readonly config: Config;
  readonly mode: Mode;
  /** This node's name (PARLOR_NODE_ID, or host name + ":" + port). */
  readonly nodeId: string;
  /** `http(s)://host:port` of the control plane. */
  readonly endpoint: string;
  /** `ws(s)://host:port` for the chat client's `regionOrUrl`. */
  readonly chatUrl: string;
  readonly port: number;
  readonly authMode: Authenticator['mode'];
  /** Whether the web console was found built (served under /console). */
  readonly consoleBuilt: boolean;
  /** What this node uses (data directory, or database and Redis with passwords masked), one line each. */
  readonly banner: readonly string[];
  /**
   * Re-reads the TLS certificate and key files (SIGHUP); new connections get the new pair.
   * Returns false (and logs why) when they cannot be used, keeping the old pair.
   */
  reloadTls(): boolean;
  /**
   * Shuts down: /readyz answers 503 at once, chat clients are sent away to reconnect (spread
   * over a few seconds in cluster mode), then the server stops, chat logs are flushed and the
   * store is closed. Idempotent.
   */
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
  /** Replaces the mode's drain spread (ms over which chat clients are sent away at shutdown). */
  readonly drainSpreadMs?: number;
  /** Appended to the node id (a worker's `/<index>`). */
  readonly nodeIdSuffix?: string;
  /** How long a departure waits for a return before `parlor:user-left` (ms); see PRESENCE_GRACE_MS. */
  readonly presenceGraceMs?: number;
  /** HTTP slow-client bounds in ms (defaults in http-server.ts). */
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** The built web console served under /console (default: dist/console of this package). */
  readonly consoleDir?: string;
}

/** Where `npm run build` puts the console: `<package>/dist/console`, from src/app or dist/app alike. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/** What the console's pages may load and reach: only this origin (and its chat WebSocket), never framed. */
const CONSOLE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'referrer-policy': 'no-referrer',
};

export async function startParlor(
  config: Config,
  logger: Logger = pino({ level: config.logLevel }),
  options: StartOptions = {},
): Promise<RunningParlor> {
  if (modeOf(config) === 'embedded') prepareDataDir(config.dataDir);
  const tls = readTlsFiles(config);
  const authenticator: Authenticator = createAuthenticator(config);
  if (authenticator.mode === 'open' && !isLoopback(config.host) && !config.insecureOpen) {
    throw new ConfigError(
      `Refusing to serve open mode (no auth file) on ${config.host}: anyone who can reach it could do anything. ` +
        'Give an auth file (PARLOR_AUTH_FILE), bind to 127.0.0.1, or pass --insecure-open.',
    );
  }
  const opened = new Opened();
  try {
    return await build(config, logger, options, authenticator, opened, tls);
  } catch (err) {
    await opened.closeAll(logger);
    throw err;
  }
}

async function build(
  config: Config,
  logger: Logger,
  options: StartOptions,
  authenticator: Authenticator,
  opened: Opened,
  tls: ReturnType<typeof readTlsFiles>,
): Promise<RunningParlor> {
  // One registry for the process; parts that count things register their metrics on it
  // (docs/metrics.md). The defaults include nodejs_eventloop_lag_* and process_*.
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  // The node's event-loop batching, shared by every part that batches or awaits answers.
  const loop = { turnEnd: new TurnEnd(), answers: new AwaitedAnswers() };
  // Before anything opens: a bad PARLOR_REVIEW_WEBHOOKS stops the start with a ConfigError.
  const review = opened.add('review', buildReview(config, metrics, logger, loop, options.reviewLambda), (r) => r.close());
  const now = options.now ?? Date.now;
  // Known before the port is bound (Redis connections carry it): with port 0, the process id
  // stands in for the port.
  const nodeId = (config.nodeId ?? `${hostname()}:${config.port === 0 ? `pid${process.pid}` : config.port}`) + (options.nodeIdSuffix ?? '');
  const backend: Backend = modeOf(config) === 'cluster' ? await openCluster(config, nodeId, opened, logger, metrics) : await openEmbedded(config, opened, now);
  const { store, fanOut, rateLimiter, presence } = backend;
  const readiness = opened.add('readiness', new Readiness(backend.probes, metrics), (r) => r.stop());
  // Closed after the chat sessions (reverse order of opening), so their last messages are written.
  const history = opened.add('history', new HistoryWriter(backend.history, logger), (h) => h.close());
  // Chat logging: chat records delivered frames; the pipeline observes configuration changes.
  // A test may inject its own ChatLogger instead (then no pipeline is opened).
  const pipeline = options.chatLog === undefined ? await openChatLogging(config, store, metrics, logger) : undefined;
  const chatLog: ChatLogger = opened.add('chat log', pipeline ?? options.chatLog ?? NO_CHAT_LOG, (c) => c.close());
  const chat = new ChatService({
    fanOut,
    rateLimiter,
    review: options.review ?? review.gate,
    chatLog,
    history,
    encode: encodeTextFrame,
    now,
    log: logger,
    tokens: new ChatTokenCodec(backend.tokenSecret),
    getRoom: (arn) => store.getRoom(arn),
    usedTokens: store,
    usedTokenSweepMs: backend.usedTokenSweepMs,
    bans: store,
    presence,
    ...(options.presenceGraceMs !== undefined ? { presenceGraceMs: options.presenceGraceMs } : {}),
    // Told of changes made on any node (they arrive as change envelopes), so its cache of
    // logging configurations never waits for its TTL.
    ...(pipeline ? { observers: pipeline } : {}),
  });
  chat.start(options.sessionTickMs);
  opened.add('chat', chat, (c) => c.stop());
  const clientAddress = clientAddressResolver(config.trustedProxies);
  const gateway = new WsGateway({
    chat,
    maxConnections: config.maxConnections,
    maxConnectionsPerIp: config.maxConnectionsPerIp,
    clientAddress,
    log: logger,
    ...loop,
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  const drainSpreadMs = options.drainSpreadMs ?? backend.drainSpreadMs;
  opened.add('chat gateway', gateway, (g) => g.close(drainSpreadMs));
  registerChatMetrics(metrics, gateway, chat);
  // 1, labelled with what dashboards join on; the scrape's `instance` label tells nodes apart elsewhere.
  new Gauge({ name: 'parlor_node_info', help: 'Always 1; labels: this node\'s id and mode (embedded or cluster)', labelNames: ['node', 'mode'], registers: [metrics] }).set(
    { node: nodeId, mode: backend.mode },
    1,
  );
  registerPresenceMetrics(metrics, presence, chat.presenceEvents);
  const httpStats = new HttpStats();
  registerHttpMetrics(metrics, httpStats);
  const metricsToken = config.metricsToken;
  const deps: ControlPlaneDeps = { store, now, changes: chat.changes, chat, history };
  const handlers: OperationHandlers = { ...CONTROL_PLANE_HANDLERS, ...CHAT_HANDLERS };

  const consoleFiles = new StaticFiles('/console', options.consoleDir ?? DEFAULT_CONSOLE_DIR, CONSOLE_HEADERS, 'The console is not built: run `npm run build`, then restart Parlor.');
  // What the console must know before its first call (docs/adr/0060-console-config-json.md).
  const consoleConfig = JSON.stringify({
    auth: authenticator.mode,
    region: config.region,
    mode: backend.mode,
    node: nodeId,
    metricsToken: metricsToken !== undefined,
  });
  const server = createHttpServer({
    authenticator,
    handlers,
    deps,
    logger,
    onUpgrade: gateway.onUpgrade,
    plainRoutes: {
      '/healthz': async () => ({ contentType: 'application/json', body: JSON.stringify({ status: 'ok' }) }),
      '/readyz': async () => {
        const { status, body } = await readiness.answer();
        return { status, contentType: 'application/json', body: JSON.stringify(body) };
      },
      '/metrics': async (req) =>
        metricsToken !== undefined && !bearerMatches(req, metricsToken) ? BEARER_REQUIRED : { contentType: metrics.contentType, body: await metrics.metrics() },
      '/console/config.json': async () => ({ contentType: 'application/json', headers: { 'cache-control': 'no-store', ...CONSOLE_HEADERS }, body: consoleConfig }),
    },
    staticFiles: consoleFiles,
    ...(tls ? { tls } : {}),
    cors: createCors(config.corsOrigins),
    clientAddress,
    // Sockets that are not chat are capped by the same number (at least MIN_HTTP_SOCKET_CAP), counted apart from chat sockets.
    maxHttpSockets: Math.max(MIN_HTTP_SOCKET_CAP, config.maxConnections),
    stats: httpStats,
    requests: new ControlPlaneMetrics(metrics),
    ...(options.headersTimeoutMs !== undefined ? { headersTimeoutMs: options.headersTimeoutMs } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  // Stops accepting at once; requests in progress get the grace, then every HTTP socket left is cut.
  let httpStopped: Promise<void> | undefined;
  const stopHttp = (): Promise<void> => (httpStopped ??= stopHttpServer(server, HTTP_SHUTDOWN_GRACE_MS));
  opened.add('http server', server, stopHttp);
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException): void => {
      if (err.code === 'EADDRINUSE') reject(new ConfigError(`PARLOR_PORT / --port: port ${config.port} on ${config.host} is already in use (EADDRINUSE); stop what uses it, or choose another port (0 picks a free one)`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new ConfigError(`PARLOR_HOST / --host: ${config.host} is not an address of this machine; use one of its addresses, 127.0.0.1 or 0.0.0.0`));
      else if (err.code === 'EACCES') reject(new ConfigError(`PARLOR_PORT / --port: this user may not bind port ${config.port} (ports below 1024 need privileges); choose a port above 1023`));
      else reject(err);
    };
    server.once('error', failed);
    server.listen(config.port, config.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const secure = tls !== undefined;
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  readiness.serving(nodeId);

  let closing: Promise<void> | undefined;
  return {
    config,
    mode: backend.mode,
    nodeId,
    endpoint: `${secure ? 'https' : 'http'}://${hostForUrl}:${port}`,
    chatUrl: `${secure ? 'wss' : 'ws'}://${hostForUrl}:${port}`,
    port,
    authMode: authenticator.mode,
    consoleBuilt: consoleFiles.built,
    banner: backend.banner,
    reloadTls() {
      if (!secure) return false;
      try {
        (server as unknown as TlsServer).setSecureContext(readTlsFiles(config)!);
        logger.info({ cert: config.tlsCert }, 'TLS certificate reloaded');
        return true;
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'TLS certificate not reloaded; still serving the previous one');
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        // Not ready first, so load balancers send new connections elsewhere; then the chat
        // clients are sent away (the gateway's drain) and everything else closes in reverse
        // order of opening: HTTP server, chat, chat log, readiness, backend, review.
        readiness.draining();
        // Embedded mode has no other node: the port closes first, so a client sent away does
        // not spend its few immediate retries on this node (docs/adr/0030-drain-by-reconnect.md).
        if (backend.mode === 'embedded') void stopHttp();
        await gateway.close(drainSpreadMs);
        await opened.closeAll(logger);
      })();
      return closing;
    },
  };
}
