/**
 * One keep-alive HTTP/1.1 connection to a webhook origin that may carry several requests at
 * once (pipelining): requests are written in order, and responses, which HTTP/1.1 returns in
 * the same order, are matched to them first in, first out. Responses are parsed by
 * http-parser-js. Requests queued during one event-loop turn leave in one write (`flush`).
 *
 * Contract: every exchange settles exactly once — with the response, or with an error when
 * the connection fails or closes before its response; those that had seen no byte of their
 * response by then are handed to `onClosed` instead (the pool may send them again).
 */
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import httpParser from 'http-parser-js';

const { HTTPParser } = httpParser;

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/** One request and the promise waiting for its answer. */
export interface Exchange {
  /** The whole request: head and body. */
  readonly wire: string;
  /** performance.now() when queued, milliseconds. */
  sentAt: number;
  /** Set once response headers for it arrived: it can no longer be sent again. */
  answered: boolean;
  /** Sent again once already (after a connection closed under it). */
  retried: boolean;
  /** Settled (answered, failed or aborted): later outcomes are ignored. */
  settled: boolean;
  /** The connection it was last sent on. */
  via: Http1Connection | undefined;
  readonly resolve: (answer: HttpAnswer) => void;
  readonly reject: (err: Error) => void;
}

export interface Origin {
  readonly tls: boolean;
  readonly hostname: string;
  readonly port: number;
  /** Certificates (PEM) to trust instead of Node's store (tests, private CAs). */
  readonly ca?: string;
}

/** Largest answer body kept, in bytes; more fails the exchange and the connection. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export class Http1Connection {
  /** Sent (or queued) and waiting for their response, oldest first. */
  readonly inFlight: Exchange[] = [];
  /** False once the server said it will close, or the connection failed. */
  reusable = true;
  /** The server answered `Connection: close` (requests behind that answer were never processed). */
  closeAnnounced = false;
  closed = false;
  /** In the pool's idle list. */
  idle = false;
  readonly #socket: Socket;
  readonly #parser = new HTTPParser(HTTPParser.RESPONSE);
  #outgoing = '';
  #status = 0;
  #body: Buffer[] = [];
  #bodyBytes = 0;

  constructor(
    origin: Origin,
    /** Called once when the connection is gone, with the exchanges that may be sent again. */
    private readonly onClosed: (connection: Http1Connection, unanswered: Exchange[], cause: Error) => void,
    /** Called after each answered exchange (the pool tracks idle connections). */
    private readonly onAnswered: (connection: Http1Connection) => void,
  ) {
    this.#socket = origin.tls
      ? connectTls({ host: origin.hostname, port: origin.port, ...(isIP(origin.hostname) ? {} : { servername: origin.hostname }), ALPNProtocols: ['http/1.1'], ...(origin.ca ? { ca: origin.ca } : {}) })
      : connectTcp({ host: origin.hostname, port: origin.port });
    this.#socket.setNoDelay(true);
    this.#parser[HTTPParser.kOnHeadersComplete] = (info) => this.#onHeaders(info.statusCode, info.shouldKeepAlive);
    this.#parser[HTTPParser.kOnBody] = (chunk, offset, length) => this.#onBody(chunk, offset, length);
    this.#parser[HTTPParser.kOnMessageComplete] = () => this.#onComplete();
    this.#socket.on('data', (data: Buffer) => {
      let result: number | Error;
      try {
        result = this.#parser.execute(data);
      } catch (err) {
        // Thrown by our own callbacks (an answer over MAX_ANSWER_BYTES).
        result = err instanceof Error ? err : new Error(String(err));
      }
      if (result instanceof Error) this.fail(new Error(`malformed or refused webhook response: ${result.message}`));
    });
    this.#socket.on('end', () => {
      // A response delimited by the end of the stream completes here.
      const result = this.#parser.finish();
      this.fail(result instanceof Error ? new Error(`malformed webhook response: ${result.message}`) : new Error('webhook closed the connection'));
    });
    this.#socket.on('error', (err) => this.fail(err));
    this.#socket.on('close', () => this.fail(new Error('webhook connection closed')));
  }

  /** Queues `exchange`; it leaves with the next `flush`. True when nothing was queued before it. */
  send(exchange: Exchange): boolean {
    this.inFlight.push(exchange);
    const first = this.#outgoing === '';
    this.#outgoing += exchange.wire;
    return first;
  }

  /** Writes what `send` queued, as one write. */
  flush(): void {
    if (this.#outgoing === '' || this.closed) return;
    this.#socket.write(this.#outgoing);
    this.#outgoing = '';
  }

  /** Closes an idle connection politely. */
  end(): void {
    this.reusable = false;
    this.#socket.end();
  }

  /** Ends the connection; unsettled exchanges fail with `err` (or go back to the pool, see the contract). */
  fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.reusable = false;
    this.#socket.destroy();
    const unanswered: Exchange[] = [];
    for (const exchange of this.inFlight.splice(0)) {
      if (exchange.settled) continue;
      if (exchange.answered) settle(exchange, err);
      else unanswered.push(exchange);
    }
    this.onClosed(this, unanswered, err);
  }

  #onHeaders(status: number, keepAlive: boolean): void {
    // An interim 1xx answer precedes the real one; nothing is sent that asks for one.
    if (status >= 100 && status < 200) return;
    this.#status = status;
    this.#body = [];
    this.#bodyBytes = 0;
    const head = this.inFlight[0];
    if (head) head.answered = true;
    if (!keepAlive) {
      this.reusable = false;
      this.closeAnnounced = true;
    }
  }

  #onBody(chunk: Buffer, offset: number, length: number): void {
    this.#bodyBytes += length;
    if (this.#bodyBytes > MAX_ANSWER_BYTES) {
      // Thrown out of execute(); the data handler turns it into fail().
      throw new Error(`webhook answer over ${MAX_ANSWER_BYTES} bytes`);
    }
    this.#body.push(chunk.subarray(offset, offset + length));
  }

  #onComplete(): void {
    if (this.#status < 200) return;
    const exchange = this.inFlight.shift();
    if (exchange && !exchange.settled) {
      const text = this.#body.length === 1 ? this.#body[0]!.toString('utf8') : Buffer.concat(this.#body).toString('utf8');
      exchange.settled = true;
      exchange.resolve({ status: this.#status, text });
    }
    this.#status = 0;
    this.#body = [];
    if (!this.reusable && this.inFlight.length === 0) this.#socket.end();
    this.onAnswered(this);
  }
}

/** Fails `exchange` unless it already settled. */
export function settle(exchange: Exchange, err: Error): void {
  if (exchange.settled) return;
  exchange.settled = true;
  exchange.reject(err);
}
