/**
 * One lane: the records of one logging configuration's destination for one room (for
 * Firehose: for all rooms of the scope), delivered in the order recorded.
 *
 * Records collect in a buffer that is cut into a batch by size, count or age. While the lane
 * is healthy, batches wait in memory (`ready`) and go straight to the sink, one call at a
 * time. When a delivery fails the failed batch and everything behind it move to the spool and
 * the lane is backlogged: new batches go to the spool too, and the head segment is retried
 * with exponential backoff until it is accepted, then removed, then the next one. A failed
 * batch is retried whole (or, after a partial acceptance, only its unaccepted entries), so
 * nothing arrives twice unless a destination stored a batch and the acknowledgement was lost.
 */
import type { Logger } from 'pino';
import { newId } from '../domain/ids.js';
import type { ChatLogMetrics, DropReason } from './chat-log-metrics.js';
import type { ChatLogBatch, ChatLogEntry, ChatLogSink } from './chat-log-sink.js';
import type { BatchPolicy, Budget, RetryPolicy } from './chat-log-policy.js';
import { LaneSpool, type Segment } from './chat-log-spool.js';

export interface LaneContext {
  readonly sink: ChatLogSink;
  readonly metrics: ChatLogMetrics;
  readonly logger: Logger;
  /** Bytes in the spool. */
  readonly spoolBudget: Budget;
  /** Records in buffers and ready batches. */
  readonly memory: Budget;
  readonly retry: RetryPolicy;
  /** Told after every delivery attempt whether it succeeded. */
  onStatus(lane: Lane, ok: boolean): void;
}

export class Lane {
  private buffer: ChatLogEntry[] = [];
  private bufferBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private ready: ChatLogBatch[] = [];
  private readonly spooled: Segment[];
  private writes: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private backlogged: boolean;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private failures = 0;
  private closing = false;
  private abandoned = false;
  private wake: (() => void) | undefined;
  private readonly dropLog = new Map<DropReason, { at: number; pending: number }>();

  constructor(
    private readonly spool: LaneSpool,
    existing: readonly Segment[],
    private readonly policy: BatchPolicy,
    private readonly ctx: LaneContext,
  ) {
    this.spooled = [...existing];
    this.backlogged = existing.length > 0;
    if (this.backlogged) this.kick();
  }

  /** Nothing buffered, queued, spooled or in flight: the lane may be forgotten. */
  get idle(): boolean {
    return !this.running && this.buffer.length === 0 && this.ready.length === 0 && this.spooled.length === 0 && this.pendingWrites === 0;
  }

  get meta() {
    return this.spool.meta;
  }

  private get kind() {
    return this.spool.meta.target.kind;
  }

  /**
   * Counts dropped records; logs the first drop at once, later ones at most once a second per
   * reason (with the count since the last line), so a full queue cannot flood the log.
   */
  private drop(records: number, reason: DropReason, detail?: string): void {
    this.ctx.metrics.dropped.inc({ kind: this.kind, reason }, records);
    const now = Date.now();
    const last = this.dropLog.get(reason) ?? { at: -Infinity, pending: 0 };
    last.pending += records;
    if (now - last.at >= 1000) {
      this.ctx.logger.error({ configuration: this.meta.configurationArn, target: this.meta.target, records: last.pending, reason, detail }, 'chat-log records dropped');
      last.at = now;
      last.pending = 0;
    }
    this.dropLog.set(reason, last);
  }

  /** Queues one entry; `bytes` as the sink limits count it. O(1), never awaits. */
  add(entry: ChatLogEntry, bytes: number): void {
    if (this.closing) return this.drop(1, 'closed');
    if (bytes > this.policy.maxBytes) return this.drop(1, 'too-large', `${bytes} bytes`);
    if (!this.ctx.memory.tryTake(1)) return this.drop(1, 'queue-full');
    if (this.buffer.length > 0 && this.bufferBytes + bytes > this.policy.maxBytes) this.cut();
    this.buffer.push(entry);
    this.bufferBytes += bytes;
    if (this.buffer.length >= this.policy.maxRecords || this.bufferBytes >= this.policy.maxBytes) this.cut();
    else if (this.buffer.length === 1) this.timer = setTimeout(() => this.cut(), this.policy.maxAgeMs).unref();
  }

  /** Turns the buffer into a batch (no-op when empty). */
  cut(): void {
    if (this.buffer.length === 0) return;
    clearTimeout(this.timer);
    const batch: ChatLogBatch = { target: this.meta.target, batchId: newId(), entries: this.buffer };
    this.buffer = [];
    this.bufferBytes = 0;
    if (this.backlogged) this.toSpool(batch);
    else this.ready.push(batch);
    this.kick();
  }

  /** Appends a batch to the spool after every earlier write; releases its memory. */
  private toSpool(batch: ChatLogBatch): void {
    const n = batch.entries.length;
    this.pendingWrites++;
    this.writes = this.writes.then(async () => {
      const size = LaneSpool.sizeOf(batch);
      if (!this.ctx.spoolBudget.tryTake(size)) {
        this.drop(n, 'spool-full', `spool holds ${this.ctx.spoolBudget.used} of ${this.ctx.spoolBudget.max} bytes`);
      } else {
        try {
          this.spooled.push(await this.spool.append(batch));
          this.ctx.metrics.count(this.ctx.metrics.spooled, this.kind, n);
        } catch (err) {
          this.ctx.spoolBudget.release(size);
          this.drop(n, 'spool-error', (err as Error).message);
        }
      }
      this.ctx.metrics.spoolBytes.set(this.ctx.spoolBudget.used);
      this.ctx.memory.release(n);
      this.pendingWrites--;
      // While closing, close() itself waits for the loop and the writes.
      if (!this.closing) this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop().catch((err: unknown) => {
      this.running = false;
      this.ctx.logger.error({ err, configuration: this.meta.configurationArn }, 'chat-log lane stopped unexpectedly');
    });
  }

  private async loop(): Promise<void> {
    for (;;) {
      await this.writes;
      const seg = this.spooled[0];
      let batch: ChatLogBatch | undefined;
      if (seg) {
        batch = await this.spool.read(seg).catch((err: unknown) => {
          this.drop(0, 'spool-error', `unreadable segment ${seg.seq}: ${(err as Error).message}`);
          return undefined;
        });
        if (!batch || batch.entries.length === 0) {
          await this.ack(seg, 0);
          continue;
        }
      } else {
        batch = this.ready[0];
      }
      if (!batch) {
        if (this.pendingWrites === 0) this.backlogged = false;
        this.running = false;
        return;
      }
      const n = batch.entries.length;
      const outcome = await this.ctx.sink.deliver(batch);
      // close() gave up waiting and spooled the batch itself; the process is going away.
      if (this.abandoned) return;
      if (outcome.kind === 'ok') {
        const rejected = outcome.rejected?.count ?? 0;
        this.ctx.metrics.count(this.ctx.metrics.delivered, this.kind, n - rejected);
        if (rejected > 0) this.drop(rejected, 'rejected', outcome.rejected?.reason);
        await this.ack(seg, n);
        this.failures = 0;
        this.ctx.onStatus(this, true);
        continue;
      }
      let rest = batch;
      if (outcome.kind === 'partial') {
        this.ctx.metrics.count(this.ctx.metrics.delivered, this.kind, n - outcome.failed.length);
        rest = { ...batch, entries: outcome.failed.map((i) => batch.entries[i]!) };
      }
      this.ctx.metrics.count(this.ctx.metrics.failed, this.kind, rest.entries.length);
      await this.retain(seg, batch, rest);
      this.failures++;
      this.ctx.onStatus(this, false);
      this.ctx.logger.warn(
        { configuration: this.meta.configurationArn, target: this.meta.target, records: rest.entries.length, attempt: this.failures, error: outcome.error },
        'chat-log delivery failed; will retry from the spool',
      );
      if (this.closing) {
        this.running = false;
        return;
      }
      await this.sleep(this.backoff());
    }
  }

  /** The head was accepted: forget it. */
  private async ack(seg: Segment | undefined, n: number): Promise<void> {
    if (!seg) {
      this.ready.shift();
      this.ctx.memory.release(n);
      return;
    }
    await this.spool.remove(seg).catch((err: unknown) => this.ctx.logger.error({ err }, 'could not remove a delivered chat-log spool segment'));
    this.spooled.shift();
    this.ctx.spoolBudget.release(seg.bytes);
    this.ctx.metrics.spoolBytes.set(this.ctx.spoolBudget.used);
  }

  /** The head (`batch`) was not (fully) accepted: keep `rest` at the head, on disk. */
  private async retain(seg: Segment | undefined, batch: ChatLogBatch, rest: ChatLogBatch): Promise<void> {
    if (seg) {
      if (rest !== batch) {
        const next = await this.spool.rewrite(seg, rest);
        this.ctx.spoolBudget.release(seg.bytes - next.bytes);
        this.spooled[0] = next;
      }
      return;
    }
    this.ready.shift();
    this.ctx.memory.release(batch.entries.length - rest.entries.length);
    this.backlogged = true;
    const waiting = this.ready;
    this.ready = [];
    this.toSpool(rest);
    for (const b of waiting) this.toSpool(b);
  }

  private backoff(): number {
    const exp = Math.min(this.ctx.retry.maxMs, this.ctx.retry.baseMs * 2 ** Math.min(this.failures - 1, 30));
    return exp * (0.5 + Math.random() * 0.5);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * Cuts the buffer and delivers what can be delivered now: one more attempt at the head, no
   * backoff; what still fails stays (or goes) in the spool for the next start. After
   * `deadlineMs` it stops waiting for a slow destination and spools what is still in memory,
   * the batch in flight included (if that call did land, the batch arrives twice).
   */
  async close(deadlineMs: number): Promise<void> {
    this.closing = true;
    this.cut();
    this.wake?.();
    this.kick();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
    const outcome = await Promise.race([this.loopDone, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.abandoned = true;
      this.running = false;
      this.ctx.logger.warn({ configuration: this.meta.configurationArn, target: this.meta.target, batches: this.ready.length }, 'chat-log delivery still pending at shutdown; spooling it');
      const waiting = this.ready;
      this.ready = [];
      for (const b of waiting) this.toSpool(b);
    }
    await this.writes;
  }
}
