/**
 * The chat WebSocket endpoint, on the HTTP server's port (its `onUpgrade` hook). Before
 * accepting an upgrade it checks, in this order: the handshake itself (400/405, as `ws` would),
 * the connection limits (503: the node's, then the client address's) and the token carried as
 * the `Sec-WebSocket-Protocol` (401 bad/used/expired, 404 room gone). The token is redeemed
 * last, and only while the client is still connected, so no refused or abandoned upgrade uses
 * it up. Accepted upgrades echo the token as the sub-protocol. Also: maximum frame size, one shared heartbeat sweep that reaps
 * dead sockets, and a graceful close of every socket at shutdown.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { ChatService } from '../chat/chat-service.js';
import { plainAddress, type ClientAddress } from './client-address.js';
import { handshakeProblem } from './handshake.js';
import type { AwaitedAnswers } from '../lib/awaited-answers.js';
import type { TurnEnd } from '../lib/turn-end.js';
import { Outbox, WsConnection } from './ws-connection.js';

export interface WsGatewayOptions {
  readonly chat: ChatService;
  /** Open plus in-handshake connections above which upgrades get 503. */
  readonly maxConnections: number;
  /** Largest client frame in bytes; bigger closes the connection with 1009. */
  readonly maxPayloadBytes?: number;
  /** Unsent bytes per connection before it is dropped as a slow reader. */
  readonly maxBufferedBytes?: number;
  /** Ping interval; a socket that did not answer the previous ping is terminated. */
  readonly heartbeatMs?: number;
  readonly log: { error(details: object, message: string): void };
  /** Open plus in-handshake connections per client address above which upgrades get 503; 0 = no cap. */
  readonly maxConnectionsPerIp?: number;
  /** The client's address (trusted proxies applied); default: the socket's peer. */
  readonly clientAddress?: ClientAddress;
  /** The node's end-of-turn batching (frames are written in its `fan-out` stage). */
  readonly turnEnd: TurnEnd;
  /** The node's awaited answers (write passes yield sooner while any are awaited). */
  readonly answers: AwaitedAnswers;
}

const ignore = (): void => {};

/**
 * The heartbeat interval is cut into this many phases and each connection is pinged in its
 * own phase, so 50,000 pings do not all go out in one event-loop turn.
 */
const HEARTBEAT_PHASES = 10;

/** A drain spread over time sends clients away in this many equal steps. */
const DRAIN_STEPS = 20;

function refuse(socket: Duplex, status: number, message: string, headers: Readonly<Record<string, string>> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ message });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n${extra}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The offered sub-protocols; the official client offers exactly one: the token. */
function offeredToken(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const first = header.split(',')[0]!.trim();
  return first === '' ? undefined : first;
}

/**
 * Why an upgrade was refused (or did not open), for /metrics; a closed set:
 * `handshake` 400/405 malformed upgrade · `shutting_down` 503 · `max_connections` 503 node cap ·
 * `per_ip` 503 per-address cap · `auth` 401 token missing, invalid, expired or already used ·
 * `room_not_found` 404 · `banned` 403 · `abandoned` the client left before its token was redeemed ·
 * `error` 500.
 */
export const CONNECTION_REFUSALS = ['handshake', 'shutting_down', 'max_connections', 'per_ip', 'auth', 'room_not_found', 'banned', 'abandoned', 'error'] as const;
export type ConnectionRefusal = (typeof CONNECTION_REFUSALS)[number];

function admissionRefusal(status: 401 | 403 | 404): ConnectionRefusal {
  switch (status) {
    case 401:
      return 'auth';
    case 403:
      return 'banned';
    case 404:
      return 'room_not_found';
  }
}

const peerAddress: ClientAddress = (req) => plainAddress(req.socket.remoteAddress ?? '');

export class WsGateway {
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<WsConnection>();
  readonly #byWs = new WeakMap<WebSocket, WsConnection>();
  readonly #outbox: Outbox;
  readonly #heartbeat: NodeJS.Timeout;
  #handshakes = 0;
  /** Open plus in-handshake connections per client address (only with a per-address cap). */
  readonly #perIp = new Map<string, number>();
  /** Upgrades refused 503 by the per-address cap (since start). */
  refusedPerIp = 0;
  /** Upgrades that opened no connection, by reason (since start). */
  readonly refused = Object.fromEntries(CONNECTION_REFUSALS.map((r) => [r, 0])) as Record<ConnectionRefusal, number>;
  #phase = 0;
  #opened = 0;
  #closing = false;
  #closed: Promise<void> | undefined;
  /** Called when the last connection is gone during shutdown. */
  #onEmpty: (() => void) | undefined;

  constructor(private readonly options: WsGatewayOptions) {
    this.#wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: options.maxPayloadBytes ?? 16 * 1024,
      handleProtocols: (protocols) => protocols.values().next().value ?? false,
    });
    this.#outbox = new Outbox(options.maxBufferedBytes ?? 256 * 1024, { turnEnd: options.turnEnd, awaiting: options.answers.answersAwaited });
    this.#heartbeat = setInterval(() => this.#sweep(), (options.heartbeatMs ?? 30_000) / HEARTBEAT_PHASES);
    this.#heartbeat.unref();
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Chat connections opened (since start). */
  get openedTotal(): number {
    return this.#opened;
  }

  get policyCloses(): number {
    return this.options.chat.policyCloses;
  }

  get droppedSlowReaders(): number {
    return this.#outbox.dropped;
  }

  /** Frames and their bytes written to chat sockets (since start). */
  get written(): { readonly frames: number; readonly bytes: number } {
    return { frames: this.#outbox.framesWritten, bytes: this.#outbox.bytesWritten };
  }

  /** The HTTP server's upgrade hook. */
  readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', ignore);
    this.#upgrade(req, socket, head).catch((err: unknown) => {
      this.options.log.error({ err }, 'chat upgrade failed');
      this.refused.error++;
      refuse(socket, 500, 'Internal error');
    });
  };

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refused = this.refused;
    const problem = handshakeProblem(req);
    if (problem) {
      refused.handshake++;
      return refuse(socket, problem.status, problem.message, problem.headers);
    }
    if (this.#closing) {
      refused.shutting_down++;
      return refuse(socket, 503, 'The server is shutting down');
    }
    if (this.#connections.size + this.#handshakes >= this.options.maxConnections) {
      refused.max_connections++;
      return refuse(socket, 503, 'Too many chat connections on this server');
    }
    const ip = (this.options.clientAddress ?? peerAddress)(req);
    const perIpCap = this.options.maxConnectionsPerIp ?? 0;
    if (perIpCap > 0 && (this.#perIp.get(ip) ?? 0) >= perIpCap) {
      this.refusedPerIp++;
      refused.per_ip++;
      return refuse(socket, 503, 'Too many chat connections from this address');
    }
    const token = offeredToken(req);
    if (token === undefined) {
      refused.auth++;
      return refuse(socket, 401, 'A chat token is required as the WebSocket sub-protocol');
    }
    this.#handshakes++;
    this.#countIp(ip, 1);
    let admission;
    let opened = false;
    try {
      admission = await this.options.chat.admit(token, () => !this.#closing && socket.readable && socket.writable);
      if (admission.kind === 'abandoned') {
        refused.abandoned++;
        socket.destroy();
        return;
      }
      if (admission.kind === 'refused') {
        refused[admissionRefusal(admission.status)]++;
        return refuse(socket, admission.status, admission.message);
      }
      const accepted = admission;
      if (this.#closing) {
        this.options.chat.release(accepted);
        refused.shutting_down++;
        return refuse(socket, 503, 'The server is shutting down');
      }
      opened = true;
      // The admission holds its room until a session opens; a socket that goes first lets go.
      const chat = this.options.chat;
      socket.once('close', () => chat.release(accepted));
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        const connection = new WsConnection(ws, socket, ip, this.#outbox, this.#opened++ % HEARTBEAT_PHASES);
        this.#connections.add(connection);
        this.#byWs.set(ws, connection);
        connection.session = this.options.chat.open(accepted, connection);
        ws.on('message', this.#onMessage);
        ws.on('pong', this.#onPong);
        ws.on('close', this.#onClose);
        ws.on('error', ignore);
      });
    } finally {
      this.#handshakes--;
      // An opened connection keeps its count until its socket closes (also when ws gave up on it).
      if (opened && !socket.closed) socket.once('close', () => this.#countIp(ip, -1));
      else this.#countIp(ip, -1);
    }
  }

  #countIp(ip: string, delta: 1 | -1): void {
    if ((this.options.maxConnectionsPerIp ?? 0) === 0) return;
    const n = (this.#perIp.get(ip) ?? 0) + delta;
    if (n <= 0) this.#perIp.delete(ip);
    else this.#perIp.set(ip, n);
  }

  // Shared listeners (no closure per connection); `this` is the WebSocket.
  readonly #onMessage = ((gateway: WsGateway) =>
    function (this: WebSocket, data: RawData): void {
      const connection = gateway.#byWs.get(this);
      if (!connection?.session) return;
      connection.alive = true;
      gateway.options.chat.receive(connection.session, data.toString());
    })(this);

  readonly #onPong = ((gateway: WsGateway) =>
    function (this: WebSocket): void {
      const connection = gateway.#byWs.get(this);
      if (connection) connection.alive = true;
    })(this);

  readonly #onClose = ((gateway: WsGateway) =>
    function (this: WebSocket): void {
      const connection = gateway.#byWs.get(this);
      if (!connection) return;
      gateway.#connections.delete(connection);
      if (connection.session) gateway.options.chat.closed(connection.session);
      if (gateway.#connections.size === 0) gateway.#onEmpty?.();
    })(this);

  /** One phase: each connection is visited once per heartbeat interval. */
  #sweep(): void {
    const phase = this.#phase;
    this.#phase = (phase + 1) % HEARTBEAT_PHASES;
    for (const connection of this.#connections) {
      if (connection.heartbeatPhase !== phase) continue;
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }

  /**
   * The shutdown drain: refuses new upgrades (503), then sends every chat client away so that
   * the official client reconnects by itself (ChatService.sendAway; queued frames first),
   * spread evenly over `spreadMs` so the other nodes and the app's token endpoint do not get
   * every reconnection at once; then waits for the close handshakes, at most `deadlineMs`, and
   * terminates what is left.
   */
  close(spreadMs = 0, deadlineMs = 2000): Promise<void> {
    this.#closed ??= this.#drain(spreadMs, deadlineMs);
    return this.#closed;
  }

  async #drain(spreadMs: number, deadlineMs: number): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    const chat = this.options.chat;
    const sessions = [...this.#connections].flatMap((c) => (c.session ? [c.session] : []));
    const steps = spreadMs > 0 && sessions.length > 1 ? Math.min(DRAIN_STEPS, sessions.length) : 1;
    for (let step = 0; step < steps; step++) {
      if (step > 0) await new Promise((resolve) => setTimeout(resolve, spreadMs / steps));
      const from = Math.floor((step * sessions.length) / steps);
      const to = Math.floor(((step + 1) * sessions.length) / steps);
      for (const session of sessions.slice(from, to)) chat.sendAway(session);
    }
    // Any that opened while the drain ran (their upgrades were admitted before it began).
    for (const connection of this.#connections) if (connection.session) chat.sendAway(connection.session);
    if (this.#connections.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#onEmpty = resolve;
        timer = setTimeout(resolve, deadlineMs);
      });
      clearTimeout(timer);
    }
    for (const connection of this.#connections) connection.ws.terminate();
    this.#wss.close();
  }
}
