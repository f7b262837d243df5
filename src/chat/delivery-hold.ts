/**
 * A room's delivery hold: while reviews of the room's messages are in flight on this node, the
 * room's outgoing frames wait, so that the answers to reviews sent together reach subscribers
 * together (one write per subscriber) instead of one event-loop turn (and one write) each.
 * (A long fan-out pass no longer keeps answers waiting: passes are sliced, see Outbox.)
 *
 * Contract: frames keep their order; a frame waits at most HOLD_MS milliseconds (and leaves
 * at the end of the turn in which the room's last review in flight settled); the hold
 * concerns one room only (other rooms never wait for it). Frames that end sessions (disconnect,
 * room deleted) release the hold first, so a closing connection gets everything before them.
 */
import { atTurnEnd } from '../lib/turn-end.js';
import type { WireFrame } from './connection.js';

/** Longest a frame waits for the room's other reviews, in milliseconds. An instant webhook answers in well under one. */
export const HOLD_MS = 2;

export interface Recipient {
  readonly connection: { send(frame: WireFrame): void };
}

export class DeliveryHold {
  /** Reviews of this room's messages started here and not yet settled. */
  #reviewing = 0;
  /** A review has run here: from then on frames leave at the end of the turn (see deliver). */
  #reviewed = false;
  #held: WireFrame[] | undefined;
  #timer: NodeJS.Timeout | undefined;
  #releaseQueued = false;

  /** `holdMs`: the longest wait (tests lengthen it to observe holding without racing the timer). */
  constructor(
    private readonly recipients: Iterable<Recipient>,
    private readonly holdMs = HOLD_MS,
  ) {}

  reviewStarted(): void {
    this.#reviewing++;
    this.#reviewed = true;
  }

  /** Call once per reviewStarted, whatever the outcome, before publishing the result. */
  reviewSettled(): void {
    this.#reviewing--;
    if (this.#reviewing === 0 && this.#held !== undefined) this.#queueRelease();
  }

  /**
   * Sends `frame` to every recipient: at once in a room that never had a review here; else at
   * the end of the turn if no review is in flight then, or when the last one settles, or
   * after HOLD_MS — in order with the frames held before it.
   */
  deliver(frame: WireFrame): void {
    if (this.#held !== undefined) {
      this.#held.push(frame);
      return;
    }
    if (!this.#reviewed) {
      for (const recipient of this.recipients) recipient.connection.send(frame);
      return;
    }
    const batch = [frame];
    this.#held = batch;
    // Released at the end of the turn in which the time is up, after that turn's I/O was
    // read: after a long turn the timer is due before the answers that came meanwhile are read.
    // Only this batch: if it left meanwhile, a newer one keeps its own time.
    this.#timer = setTimeout(() => atTurnEnd('holds', () => this.#held === batch && this.release()), this.holdMs);
    this.#timer.unref();
    if (this.#reviewing === 0) this.#queueRelease();
  }

  /**
   * Decided at the end of the turn: a review started later in this turn (a message read after
   * this answer) keeps the frames for the same write as its own answer.
   */
  #queueRelease(): void {
    if (this.#releaseQueued) return;
    this.#releaseQueued = true;
    atTurnEnd('holds', this.#releaseIfQuiet);
  }

  readonly #releaseIfQuiet = (): void => {
    this.#releaseQueued = false;
    if (this.#reviewing === 0) this.release();
  };

  /** Sends the held frames, then `frame`, at once (for frames after which sessions end). */
  deliverNow(frame: WireFrame): void {
    this.release();
    for (const recipient of this.recipients) recipient.connection.send(frame);
  }

  /** Sends the held frames, in order. */
  readonly release = (): void => {
    const held = this.#held;
    if (held === undefined) return;
    this.#held = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const recipient of this.recipients) {
      for (const frame of held) recipient.connection.send(frame);
    }
  };

  /** Drops held frames and the timer (the room is gone). */
  discard(): void {
    this.#held = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
