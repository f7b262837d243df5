/**
 * The HTTP transport of the control plane, plain or TLS. Each request goes through one ordered
 * lifecycle: CORS preflight → read body → authenticate → route → decode → dispatch (validate,
 * authorise, operation) → encode, or render the error. WebSocket upgrades on the same port are
 * handed to the chat gateway untouched.
 *
 * Slow clients are bounded: the request head must arrive within `headersTimeoutMs` and the
 * whole request within `requestTimeoutMs`, both counted from its first byte (trickling cannot
 * stretch them), else 408; an over-long head gets 431. Sockets that are not chat (idle
 * keep-alive, slow, waiting for an answer) are capped at `maxHttpSockets`; more are refused
 * at accept.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Authenticator, SignedRequest } from '../auth/authenticator.js';
import type { ControlPlaneDeps } from '../control-plane/context.js';
import { dispatch } from '../control-plane/dispatch.js';
import type { OperationHandlers } from '../control-plane/handlers.js';
import { ParlorError, ValidationException } from '../domain/errors.js';
import { decodeInput, encodeError, encodeOutput, operationOf, route, type WireResponse } from '../protocol/rest-json.js';
import type { ClientAddress } from './client-address.js';
import type { Cors } from './cors.js';
import type { StaticFiles } from './static-files.js';

/** Largest control-plane request body accepted, in bytes (the largest valid input is ~30 KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Defaults of the slow-client bounds (docs/deployment.md). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive sockets are closed after this (above common load balancers' 60 s). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The answer of a plain route; status 200 unless given. */
export interface PlainAnswer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: string;
}

export interface HttpServerOptions {
  readonly authenticator: Authenticator;
  readonly handlers: OperationHandlers;
  readonly deps: ControlPlaneDeps;
  readonly logger: Logger;
  /** Extra GET endpoints outside the AWS API (`/healthz`, `/metrics`), answered as given. */
  readonly plainRoutes?: Readonly<Record<string, (req: IncomingMessage) => Promise<PlainAnswer>>>;
  /** Built files served on GET/HEAD under their prefix (the web console), after plainRoutes. */
  readonly staticFiles?: StaticFiles;
  /** Receives every WebSocket upgrade request. Without it upgrades are refused. */
  readonly onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** PEM certificate chain and key: serve HTTPS (and wss) instead of HTTP. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly cors?: Cors;
  /** The client's address as logged (default: the socket's peer). */
  readonly clientAddress?: ClientAddress;
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Open sockets that are not chat WebSockets above which new ones are refused at accept. */
  readonly maxHttpSockets?: number;
  /** Counts of slow and refused clients (for /metrics). */
  readonly stats?: HttpStats;
  /** Told of every control-plane request once answered (for /metrics). */
  readonly requests?: RequestObserver;
}

export interface RequestObserver {
  /**
   * One control-plane request answered: `operation` as routed (or as its path names it when the
   * request failed before routing; `unknown` when it names none), HTTP `status`, and the
   * `seconds` from its arrival to its answer.
   */
  observe(operation: string, status: number, seconds: number): void;
}

export class HttpStats {
  /** Requests answered 408: head or body not in time. */
  timeouts = 0;
  /** Requests answered 431: head too large. */
  oversizedHeads = 0;
  /** Sockets refused at accept (over maxHttpSockets). */
  refusedSockets = 0;
  /** Open sockets that are not chat WebSockets. */
  openSockets = 0;
}

class BodyTooLarge extends ValidationException {
  constructor() {
    super(`The request body exceeds ${MAX_BODY_BYTES} bytes`, 'OTHER');
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function send(res: ServerResponse, requestId: string, wire: WireResponse, closeAfter = false, extra: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(wire.status, {
    ...wire.headers,
    ...extra,
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(wire.body),
    ...(closeAfter ? { connection: 'close' } : {}),
  });
  res.end(wire.body);
}

/** A raw HTTP answer on a socket the parser gave up on (no request object to answer through). */
function rawAnswer(socket: Duplex, status: 400 | 408 | 431 | 503, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

export function createHttpServer(options: HttpServerOptions): Server {
  const { authenticator, handlers, deps, logger, cors } = options;
  const stats = options.stats ?? new HttpStats();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q >= 0 ? url.slice(0, q) : url;
    const rawQuery = q >= 0 ? url.slice(q + 1) : '';
    const method = req.method ?? 'GET';
    const preflight = cors?.preflight(req);
    if (preflight) {
      res.writeHead(preflight.status, { ...preflight.headers, 'content-length': 0 });
      res.end();
      return;
    }
    const corsHeaders = cors?.headers(req) ?? {};
    const plain = method === 'GET' ? options.plainRoutes?.[rawPath] : undefined;
    if (plain) {
      const { status = 200, headers = {}, contentType, body } = await plain(req);
      send(res, requestId, { status, headers: { ...headers, 'content-type': contentType }, body }, false, corsHeaders);
      return;
    }
    const file = method === 'GET' || method === 'HEAD' ? options.staticFiles?.answer(rawPath) : undefined;
    if (file) {
      res.writeHead(file.status, { ...file.headers, 'content-length': file.body.length });
      res.end(method === 'HEAD' ? undefined : file.body);
      return;
    }
    const started = performance.now();
    let operation: string | undefined;
    let status = 500;
    try {
      const body = await readBody(req);
      const signed: SignedRequest = { method, rawPath, rawQuery, headers: headersOf(req), body };
      const caller = await authenticator.authenticate(signed);
      const routed = route(method, rawPath);
      operation = routed.operation;
      const input = decodeInput(routed.operation, routed.labels, new URLSearchParams(rawQuery), body.toString('utf8'));
      const output = await dispatch(deps, handlers, caller, requestId, routed.operation, input);
      const wire = encodeOutput(routed.operation, output);
      status = wire.status;
      send(res, requestId, wire, false, corsHeaders);
    } catch (err) {
      if (!(err instanceof ParlorError)) {
        logger.error({ err, requestId, operation, client: options.clientAddress?.(req) ?? req.socket.remoteAddress }, 'unexpected error in control-plane request');
      }
      const wire = encodeError(err);
      status = wire.status;
      send(res, requestId, wire, err instanceof BodyTooLarge, corsHeaders);
    }
    options.requests?.observe(operation ?? operationOf(method, rawPath) ?? 'unknown', status, (performance.now() - started) / 1000);
  }

  const serverOptions = {
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    // How often the two timeouts above are checked: they fire at most this late.
    connectionsCheckingInterval: Math.min(1000, options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS),
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'failed to answer a request');
      if (!res.headersSent) send(res, randomUUID(), encodeError(err));
      else res.destroy();
    });
  };
  const server: Server = options.tls
    ? (createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, onRequest) as unknown as Server)
    : createServer(serverOptions, onRequest);

  const maxHttpSockets = options.maxHttpSockets ?? Number.POSITIVE_INFINITY;
  const httpSockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (httpSockets.size >= maxHttpSockets) {
      stats.refusedSockets++;
      // Plain HTTP can say why; under TLS nothing can be said before the handshake.
      if (options.tls) socket.destroy();
      else rawAnswer(socket, 503, 'Service Unavailable');
      return;
    }
    httpSockets.add(socket);
    stats.openSockets = httpSockets.size;
    socket.once('close', () => {
      httpSockets.delete(socket);
      stats.openSockets = httpSockets.size;
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // From here on the socket is the chat gateway's, counted by its own limits.
    if (httpSockets.delete(req.socket)) stats.openSockets = httpSockets.size;
    if (options.onUpgrade) options.onUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 501 Not Implemented\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      stats.timeouts++;
      rawAnswer(socket, 408, 'Request Timeout');
    } else if (err.code === 'HPE_HEADER_OVERFLOW') {
      stats.oversizedHeads++;
      rawAnswer(socket, 431, 'Request Header Fields Too Large');
    } else {
      rawAnswer(socket, 400, 'Bad Request');
    }
  });
  return server;
}

/**
 * Stops `server` within `graceMs`: no new connections, idle sockets closed now, requests in
 * progress get until the grace ends to be answered, then every socket left (half-sent
 * requests, slow readers) is cut. Chat sockets are not its concern (the gateway's).
 */
export async function stopHttpServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([closed, graceOver]);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}
