/**
 * Keep-alive HTTP/1.1 connections to one webhook origin, with gated pipelining: requests made
 * within PIPELINE_WINDOW_MS of each other share a connection and leave in one write at the end
 * of the event-loop turn; a request made later takes an idle connection or opens one. So a burst
 * of reviews costs one write and one read instead of one each, while a slow answer can hold
 * back only the requests queued in the same window behind it (HTTP/1.1 answers in order).
 *
 * Why not node:http or undici: docs/adr/0001-webhook-client-stays-hand-made.md (with the
 * `npm run bench:review-client` figures). Responses are parsed by http-parser-js.
 */
import type { TurnEnd } from '../lib/turn-end.js';
import { Http1Connection, settle, type Exchange, type HttpAnswer, type Origin } from './http1-connection.js';
import type { Cancellation } from './message-reviewer.js';

/** Requests queued this close together (milliseconds) share a connection. */
export const PIPELINE_WINDOW_MS = 1;
/** At most this many requests wait on one connection. */
export const MAX_PIPELINE_DEPTH = 32;
/** After an origin closed a pipelined connection, requests go one per connection this long (ms). */
export const SINGLE_AFTER_CLOSE_MS = 60_000;
/** Idle connections kept open per origin; more are closed. */
export const MAX_IDLE_CONNECTIONS = 256;

export class Http1Pool {
  #current: Http1Connection | undefined;
  readonly #idle: Http1Connection[] = [];
  #dirty: Http1Connection[] = [];
  #closed = false;
  /** performance.now() until which requests are not pipelined (the origin closed a pipelined connection). */
  #singleUntil = 0;
  readonly #open = new Set<Http1Connection>();

  /** `turnEnd`: the node's batching; queued requests leave in its `requests` stage. */
  constructor(
    private readonly origin: Origin,
    private readonly turnEnd: TurnEnd,
  ) {}

  /**
   * Sends `wire` (a complete request) and resolves its answer. Rejects when the connection
   * fails before the answer (after one more try on a fresh connection when no byte of the
   * answer had arrived: the handler may then see the request twice) or when `cancellation` fires.
   */
  request(wire: string, cancellation: Cancellation): Promise<HttpAnswer> {
    if (this.#closed) return Promise.reject(new Error('webhook client closed'));
    if (cancellation.reason !== undefined) return Promise.reject(cancellation.reason);
    return new Promise<HttpAnswer>((resolve, reject) => {
      const exchange: Exchange = { wire, sentAt: 0, answered: false, retried: false, settled: false, via: undefined, resolve, reject };
      cancellation.onCancel((reason) => this.#abandon(exchange, reason));
      this.#dispatch(exchange);
    });
  }

  /** Closes every connection; waiting requests fail. */
  close(): void {
    this.#closed = true;
    for (const connection of [...this.#open]) connection.fail(new Error('webhook client closed'));
  }

  #dispatch(exchange: Exchange): void {
    const now = performance.now();
    let connection = this.#current;
    const depth = now < this.#singleUntil ? 1 : MAX_PIPELINE_DEPTH;
    if (connection === undefined || !joinable(connection, now, depth)) {
      if (connection !== undefined) this.#maybeIdle(connection);
      connection = this.#takeIdle() ?? this.#connect();
      this.#current = connection;
    }
    exchange.sentAt = now;
    exchange.via = connection;
    if (connection.send(exchange)) {
      if (this.#dirty.length === 0) this.turnEnd.at('requests', this.#flush);
      this.#dirty.push(connection);
    }
  }

  readonly #flush = (): void => {
    const dirty = this.#dirty;
    this.#dirty = [];
    for (const connection of dirty) connection.flush();
  };

  /** A request the caller gave up on: its answer is ignored; a connection stuck on it is closed. */
  #abandon(exchange: Exchange, reason: Error): void {
    settle(exchange, reason);
    const connection = exchange.via;
    // Answers come in order: while this one is missing, nothing behind it can arrive.
    if (connection && connection.inFlight[0] === exchange) connection.fail(new Error('webhook connection closed: the oldest request on it was abandoned'));
  }

  #connect(): Http1Connection {
    const connection = new Http1Connection(
      this.origin,
      (closed, unanswered, cause) => this.#onClosed(closed, unanswered, cause),
      (answered) => {
        if (answered.inFlight.length === 0 && answered !== this.#current) this.#maybeIdle(answered);
      },
    );
    this.#open.add(connection);
    return connection;
  }

  #onClosed(connection: Http1Connection, unanswered: Exchange[], cause: Error): void {
    this.#open.delete(connection);
    if (this.#current === connection) this.#current = undefined;
    if (connection.idle) this.#idle.splice(this.#idle.indexOf(connection), 1);
    // A server that closes after an answer never processed what was pipelined behind it: send
    // those again without counting it as their retry, and stop pipelining to this origin for a while.
    const announced = connection.closeAnnounced;
    if (announced && unanswered.length > 0) this.#singleUntil = performance.now() + SINGLE_AFTER_CLOSE_MS;
    for (const exchange of unanswered) {
      if (announced && !this.#closed) {
        this.#dispatch(exchange);
      } else if (exchange.retried || this.#closed) {
        settle(exchange, new Error(`webhook connection closed before the answer: ${cause.message}`));
      } else {
        exchange.retried = true;
        this.#dispatch(exchange);
      }
    }
  }

  #maybeIdle(connection: Http1Connection): void {
    if (connection.idle || connection.closed || !connection.reusable || connection.inFlight.length > 0) return;
    if (this.#idle.length >= MAX_IDLE_CONNECTIONS) {
      connection.end();
      return;
    }
    connection.idle = true;
    this.#idle.push(connection);
  }

  #takeIdle(): Http1Connection | undefined {
    let connection: Http1Connection | undefined;
    while ((connection = this.#idle.pop()) !== undefined) {
      connection.idle = false;
      if (!connection.closed && connection.reusable && connection.inFlight.length === 0) return connection;
    }
    return undefined;
  }
}

/** May a request made at `now` join `connection`'s pipeline (at most `depth` requests)? */
function joinable(connection: Http1Connection, now: number, depth: number): boolean {
  if (connection.closed || !connection.reusable) return false;
  const inFlight = connection.inFlight;
  if (inFlight.length === 0) return true;
  return inFlight.length < depth && now - inFlight[0]!.sentAt <= PIPELINE_WINDOW_MS;
}
