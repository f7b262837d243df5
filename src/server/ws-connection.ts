/**
 * One chat WebSocket as the core sees it (a ChatConnection), with coalesced writes: frames
 * queued for a connection go to the socket as one buffer, one write, when the Outbox's pass
 * reaches it (at the end of the turn; long passes are sliced over several turns). Recipients
 * of one room usually queue the very same frames, so the joined buffer is built once and
 * shared (a plain write is also much cheaper than a writev of many small chunks). Frames are
 * complete WebSocket frames written to the raw socket; `ws` writes its own control frames
 * (ping, close) whole to the same socket, so the two interleave safely.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { ChatSession } from '../chat/chat-session.js';
import type { ChatConnection, WireFrame } from '../chat/connection.js';
import type { TurnEnd } from '../lib/turn-end.js';

/**
 * Longest stretch of socket writes in one go, in milliseconds. A pass over thousands of
 * connections (15 ms for 2,000 here) is cut into slices of this length, and the event loop
 * reads its I/O between them: messages and review answers that arrive meanwhile are handled
 * at once, and their frames join the rest of the same pass, instead of waiting for all of it.
 */
export const FLUSH_SLICE_MS = 1;
/**
 * The slice while answers are awaited (reviews in flight, see awaited-answers.ts): an answer
 * that arrives during a slice is read at its end, so shorter slices decide reviews sooner
 * (at 1×2000 in bench:chat, 65–77 % of reviews were decided within 1 ms instead of 2–20 %).
 */
export const FLUSH_SLICE_AWAITING_MS = 0.25;
/** Connections written between two looks at the clock (~0.1 ms of writes). */
const CLOCK_EVERY = 16;
/** Written connections kept at the head of an unfinished pass before they are cut off. */
const COMPACT_AFTER = 4096;

export interface OutboxOptions {
  /** See FLUSH_SLICE_MS. */
  readonly sliceMs?: number;
  /** See FLUSH_SLICE_AWAITING_MS. */
  readonly awaitingSliceMs?: number;
  /** The node's end-of-turn batching; passes run in its `fan-out` stage. */
  readonly turnEnd: TurnEnd;
  /** Whether answers are awaited now (the node's AwaitedAnswers.answersAwaited). */
  readonly awaiting: () => boolean;
  /** Milliseconds, monotonic (tests drive it). */
  readonly now?: () => number;
}

/**
 * Connections with queued frames, written at the end of the event-loop turn in marking order.
 * A connection marked again after its write in a pass that is still going (sliced, see
 * FLUSH_SLICE_MS) is written again at the end of that pass, so each connection's frames keep
 * their order and no connection waits for more than one full pass.
 */
export class Outbox {
  #dirty: WsConnection[] = [];
  /** Index in #dirty of the next connection to write. */
  #next = 0;
  #scheduled = false;
  /** Connections dropped for reading too slowly (since start). */
  dropped = 0;
  /** Frames written to chat sockets, one per frame per connection (since start). */
  framesWritten = 0;
  /** Bytes of those frames, WebSocket framing included (since start). */
  bytesWritten = 0;
  readonly #sliceMs: number;
  readonly #awaitingSliceMs: number;
  readonly #awaiting: () => boolean;
  readonly #now: () => number;
  readonly #turnEnd: TurnEnd;

  /**
   * `maxBufferedBytes`: a connection whose unsent bytes (queued here plus the socket's own
   * buffer) pass this is terminated: a slow reader loses its connection, the room does not wait.
   */
  constructor(
    readonly maxBufferedBytes: number,
    options: OutboxOptions,
  ) {
    this.#turnEnd = options.turnEnd;
    this.#sliceMs = options.sliceMs ?? FLUSH_SLICE_MS;
    this.#awaitingSliceMs = options.awaitingSliceMs ?? FLUSH_SLICE_AWAITING_MS;
    this.#awaiting = options.awaiting;
    this.#now = options.now ?? (() => performance.now());
  }

  mark(connection: WsConnection): void {
    this.#dirty.push(connection);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#turnEnd.at('fan-out', this.flush);
  }

  /** Writes one slice of the pass; the rest goes at the end of the next turn. */
  readonly flush = (): void => {
    this.#scheduled = false;
    const dirty = this.#dirty;
    const deadline = this.#now() + (this.#awaiting() ? this.#awaitingSliceMs : this.#sliceMs);
    let i = this.#next;
    while (i < dirty.length) {
      dirty[i++]!.flush();
      if (i % CLOCK_EVERY === 0 && i < dirty.length && this.#now() >= deadline) break;
    }
    if (i < dirty.length) {
      // Connections marked again during a long pass are appended: drop the written prefix
      // now and then so the list stays about as long as the connections waiting.
      if (i >= COMPACT_AFTER && i * 2 >= dirty.length) {
        dirty.splice(0, i);
        i = 0;
      }
      this.#next = i;
      this.#schedule();
      return;
    }
    this.#dirty = [];
    this.#next = 0;
    this.#lastFrames = undefined;
    this.#lastJoined = undefined;
  };

  #lastFrames: WireFrame[] | undefined;
  #lastJoined: Uint8Array | undefined;

  /** `frames` as one buffer; the same buffer as for the previous connection when its frames were the same. */
  join(frames: WireFrame[], bytes: number): Uint8Array {
    if (frames.length === 1) return frames[0]!;
    const last = this.#lastFrames;
    if (last !== undefined && last.length === frames.length && last.every((f, i) => f === frames[i])) return this.#lastJoined!;
    const joined = Buffer.concat(frames, bytes);
    this.#lastFrames = frames;
    this.#lastJoined = joined;
    return joined;
  }
}

export class WsConnection implements ChatConnection {
  session: ChatSession | undefined;
  /** Cleared by each heartbeat sweep, set by a pong or any frame from the client. */
  alive = true;
  #queue: WireFrame[] | undefined;
  #queuedBytes = 0;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Duplex,
    readonly ip: string,
    private readonly outbox: Outbox,
    /** Which phase of the heartbeat sweep pings this connection. */
    readonly heartbeatPhase: number,
  ) {}

  send(frame: WireFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.#queue === undefined) {
      this.#queue = [frame];
      this.outbox.mark(this);
    } else {
      this.#queue.push(frame);
    }
    this.#queuedBytes += frame.length;
    if (this.#queuedBytes > this.outbox.maxBufferedBytes) this.#drop();
  }

  /** Writes the queued frames as one buffer, or drops a connection that is too far behind. */
  flush(): void {
    const queue = this.#queue;
    if (queue === undefined) return;
    const bytes = this.#queuedBytes;
    this.#queue = undefined;
    this.#queuedBytes = 0;
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.socket.writableLength + bytes > this.outbox.maxBufferedBytes) {
      this.#drop();
      return;
    }
    this.socket.write(this.outbox.join(queue, bytes));
    this.outbox.framesWritten += queue.length;
    this.outbox.bytesWritten += bytes;
  }

  close(code: number, reason: string): void {
    this.flush();
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
  }

  #drop(): void {
    this.#queue = undefined;
    this.#queuedBytes = 0;
    this.outbox.dropped++;
    this.ws.terminate();
  }
}
