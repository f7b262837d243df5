/**
 * One chat WebSocket as the core sees it (a ChatConnection), with coalesced writes: frames
 * queued during one event-loop turn go to the socket as one buffer, one write, when the
 * Outbox flushes at the end of the turn. Recipients of one room usually queue the very same
 * frames, so the joined buffer is built once and shared (a plain write is also much cheaper
 * than a writev of many small chunks). Frames are complete WebSocket frames written
 * to the raw socket; `ws` writes its own control frames (ping, close) whole to the same
 * socket, so the two interleave safely.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { ChatSession } from '../chat/chat-session.js';
import type { ChatConnection, WireFrame } from '../chat/connection.js';
import { atTurnEnd } from '../lib/turn-end.js';

/** Connections with queued frames; flushed once per event-loop turn. */
export class Outbox {
  #dirty: WsConnection[] = [];
  #scheduled = false;
  /** Connections dropped for reading too slowly (since start). */
  dropped = 0;

  /**
   * `maxBufferedBytes`: a connection whose unsent bytes (queued here plus the socket's own
   * buffer) pass this is terminated: a slow reader loses its connection, the room does not wait.
   */
  constructor(readonly maxBufferedBytes: number) {}

  mark(connection: WsConnection): void {
    this.#dirty.push(connection);
    if (!this.#scheduled) {
      this.#scheduled = true;
      atTurnEnd('fan-out', this.flush);
    }
  }

  readonly flush = (): void => {
    this.#scheduled = false;
    const dirty = this.#dirty;
    this.#dirty = [];
    for (const connection of dirty) connection.flush();
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
