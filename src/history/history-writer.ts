/**
 * Keeps history writes off the delivery path: changes are queued in arrival order and applied
 * to the history port in one batch a short while later (one transaction per batch instead of
 * one per message). Reads first apply what is queued, so a read sees every change made before
 * it on this node.
 */
import type { HistoryOp, KeptEntry, KeptMessage, MessageHistory } from './message-history.js';

/** Where failed writes are reported (a pino logger fits). */
interface ErrorLog {
  error(details: object, message: string): void;
}

/** Default time a change may wait in the queue before its batch is written, in ms. */
export const HISTORY_FLUSH_MS = 20;

export class HistoryWriter {
  #queue: HistoryOp[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The batch being written, if any (batches are written one at a time, in order). */
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly history: MessageHistory,
    private readonly log: ErrorLog,
    private readonly flushMs = HISTORY_FLUSH_MS,
  ) {}

  /** Keeps a delivered message; the room then keeps only its newest `limit`. */
  keep(roomArn: string, message: KeptMessage, limit: number): void {
    this.#push({ kind: 'keep', roomArn, message, limit });
  }

  /** Forgets a deleted message. */
  remove(roomArn: string, messageId: string): void {
    this.#push({ kind: 'remove', roomArn, messageId });
  }

  /** The room now keeps at most `limit` (its setting changed). */
  trim(roomArn: string, limit: number): void {
    this.#push({ kind: 'trim', roomArn, limit });
  }

  /** The room was deleted. */
  forget(roomArn: string): void {
    this.#push({ kind: 'forget', roomArn });
  }

  /** The room's kept messages older than `beforeSeq`, newest first; sees every queued change. */
  async newest(roomArn: string, limit: number, beforeSeq?: number): Promise<KeptEntry[]> {
    await this.flush();
    return this.history.newest(roomArn, limit, beforeSeq);
  }

  /** Writes everything queued so far; resolves once it is durable (or failed and was logged). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const ops = this.#queue;
    if (ops.length === 0) return this.#writing;
    this.#queue = [];
    this.#writing = this.#writing.then(() =>
      this.history.apply(ops).catch((err: unknown) => this.log.error({ err, changes: ops.length }, 'could not write room history')),
    );
    return this.#writing;
  }

  /** Writes what is queued (the port itself belongs to whoever opened it). */
  async close(): Promise<void> {
    await this.flush();
  }

  #push(op: HistoryOp): void {
    this.#queue.push(op);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.flushMs);
      this.#timer.unref();
    }
  }
}
