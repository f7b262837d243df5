/**
 * The HTTP transport of the control plane. Each request goes through one ordered lifecycle:
 * read body → authenticate → route → decode → dispatch (validate, authorise, operation) →
 * encode, or render the error. WebSocket upgrades on the same port are handed to the chat
 * gateway untouched.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Authenticator, SignedRequest } from '../auth/authenticator.js';
import type { ControlPlaneDeps } from '../control-plane/context.js';
import { dispatch } from '../control-plane/dispatch.js';
import type { OperationHandlers } from '../control-plane/handlers.js';
import { ParlorError, ValidationException } from '../domain/errors.js';
import { decodeInput, encodeError, encodeOutput, route, type WireResponse } from '../protocol/rest-json.js';

/** Largest control-plane request body accepted, in bytes (the largest valid input is ~30 KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The answer of a plain route; status 200 unless given. */
export interface PlainAnswer {
  readonly status?: number;
  readonly contentType: string;
  readonly body: string;
}

export interface HttpServerOptions {
  readonly authenticator: Authenticator;
  readonly handlers: OperationHandlers;
  readonly deps: ControlPlaneDeps;
  readonly logger: Logger;
  /** Extra GET endpoints outside the AWS API (`/healthz`, `/metrics`), answered as given. */
  readonly plainRoutes?: Readonly<Record<string, () => Promise<PlainAnswer>>>;
  /** Receives every WebSocket upgrade request. Without it upgrades are refused. */
  readonly onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
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

function send(res: ServerResponse, requestId: string, wire: WireResponse, closeAfter = false): void {
  res.writeHead(wire.status, {
    ...wire.headers,
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(wire.body),
    ...(closeAfter ? { connection: 'close' } : {}),
  });
  res.end(wire.body);
}

export function createHttpServer(options: HttpServerOptions): Server {
  const { authenticator, handlers, deps, logger } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q >= 0 ? url.slice(0, q) : url;
    const rawQuery = q >= 0 ? url.slice(q + 1) : '';
    const method = req.method ?? 'GET';
    const plain = method === 'GET' ? options.plainRoutes?.[rawPath] : undefined;
    if (plain) {
      const { status = 200, contentType, body } = await plain();
      send(res, requestId, { status, headers: { 'content-type': contentType }, body });
      return;
    }
    let operation: string | undefined;
    try {
      const body = await readBody(req);
      const signed: SignedRequest = { method, rawPath, rawQuery, headers: headersOf(req), body };
      const caller = await authenticator.authenticate(signed);
      const routed = route(method, rawPath);
      operation = routed.operation;
      const input = decodeInput(routed.operation, routed.labels, new URLSearchParams(rawQuery), body.toString('utf8'));
      const output = await dispatch(deps, handlers, caller, requestId, routed.operation, input);
      send(res, requestId, encodeOutput(routed.operation, output));
    } catch (err) {
      if (!(err instanceof ParlorError)) logger.error({ err, requestId, operation }, 'unexpected error in control-plane request');
      send(res, requestId, encodeError(err), err instanceof BodyTooLarge);
    }
  }

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'failed to answer a request');
      if (!res.headersSent) send(res, randomUUID(), encodeError(err));
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (options.onUpgrade) options.onUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 501 Not Implemented\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
