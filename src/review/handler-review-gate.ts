/**
 * The ReviewGate: asks the room's handler through a MessageReviewer under a deadline, judges
 * the answer and falls back to the room's `fallbackResult` when there is no usable one.
 *
 * Concurrency: at most `maxInFlightPerHandler` calls per handler URI are outstanding. A call
 * counts until the reviewer really settles (not just until the deadline), so a handler that
 * ignores aborts cannot pile up work. When the bound is full the fallback applies at once:
 * nothing queues.
 */
import type { AwaitedAnswers } from '../lib/awaited-answers.js';
import type { ReviewHandler } from '../domain/room.js';
import { ReviewCancellation, type MessageReviewer } from './message-reviewer.js';
import { judgeAnswer } from './review-answer.js';
import type { ReviewDecision, ReviewGate, ReviewRequest } from './review-gate.js';
import { ReviewMetrics, type FallbackReason, type ReviewOutcome } from './review-metrics.js';

/**
 * Default bound per handler URI. One handler often serves many rooms, and messages arrive in
 * bursts: after a 100 ms pause at 11,000 msg/s, 1,100 messages are read at once, so the first
 * bound (1,000, AWS Lambda's default concurrency per account) made an instant webhook fall back
 * for overload (docs/adr/0004-review-in-flight.md); before that, 100 failed at 2,000 msg/s.
 * A waiting review costs a few hundred bytes; 5,000 of them are still a bound.
 */
export const DEFAULT_MAX_IN_FLIGHT_PER_HANDLER = 5000;

/** Where handler failures are reported (a pino logger fits). */
export interface WarnLog {
  warn(details: object, message: string): void;
}

export interface HandlerReviewGateOptions {
  readonly reviewer: MessageReviewer;
  /** Milliseconds before the fallback applies. */
  readonly timeoutMs: number;
  readonly metrics: ReviewMetrics;
  /** The node's awaited answers: a review counts from its request to its decision. */
  readonly answers: AwaitedAnswers;
  readonly maxInFlightPerHandler?: number;
  /** Handler failures are logged at warn: the first at once, then at most one a second per handler, with a count. */
  readonly logger?: WarnLog;
}

class ReviewTimeout extends Error {}

export class HandlerReviewGate implements ReviewGate {
  private readonly inFlight = new Map<string, number>();
  private readonly maxInFlight: number;

  constructor(private readonly options: HandlerReviewGateOptions) {
    this.maxInFlight = options.maxInFlightPerHandler ?? DEFAULT_MAX_IN_FLIGHT_PER_HANDLER;
    options.metrics.readInFlight = () => {
      let n = 0;
      for (const busy of this.inFlight.values()) n += busy;
      return n;
    };
  }

  async review(handler: ReviewHandler, maximumMessageLength: number, request: ReviewRequest): Promise<ReviewDecision> {
    const started = performance.now();
    const done = (decision: ReviewDecision, outcome: ReviewOutcome, reason?: FallbackReason): ReviewDecision => {
      this.options.metrics.record(outcome, reason, (performance.now() - started) / 1000);
      return decision;
    };
    const fallback = (reason: FallbackReason, detail: string): ReviewDecision => {
      this.logFailure(handler.uri, request.MessageId, reason, detail);
      const decision: ReviewDecision =
        handler.fallbackResult === 'ALLOW'
          ? { kind: 'allow', content: request.Content, attributes: request.Attributes }
          : { kind: 'deny', fallback: true };
      return done(decision, 'fallback', reason);
    };

    const uri = handler.uri;
    const busy = this.inFlight.get(uri) ?? 0;
    if (busy >= this.maxInFlight) return fallback('overload', `${busy} reviews already in flight`);
    this.inFlight.set(uri, busy + 1);

    const cancellation = new ReviewCancellation();
    let raw: string;
    // Until decided (answer, failure or deadline), the fan-out yields to I/O more often.
    const arrived = this.options.answers.awaitAnswer();
    try {
      raw = await this.call(uri, request, cancellation);
    } catch (err) {
      const reason = cancellation.reason !== undefined ? 'timeout' : 'error';
      return fallback(reason, err instanceof Error ? err.message : String(err));
    } finally {
      arrived();
    }

    const verdict = judgeAnswer(raw, request, maximumMessageLength);
    switch (verdict.kind) {
      case 'invalid':
        return fallback('invalid', verdict.problem);
      case 'deny':
        return done(verdict.reason === undefined ? { kind: 'deny' } : { kind: 'deny', reason: verdict.reason }, 'denied');
      case 'allow':
        return done(
          { kind: 'allow', content: verdict.content, attributes: verdict.attributes },
          verdict.rewritten ? 'rewritten' : 'allowed',
        );
    }
  }

  /**
   * The handler's answer, or a rejection at the deadline (the call is then cancelled; its slot
   * is released only when it really settles).
   */
  private call(uri: string, request: ReviewRequest, cancellation: ReviewCancellation): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      // The deadline is on the handler's time, not on Parlor's: when it passes while this event
      // loop was busy, the answer may be waiting unread, so let this turn's I/O be read first.
      const expire = (): void => {
        if (settled) return;
        settled = true;
        const timeout = new ReviewTimeout('review deadline passed');
        cancellation.cancel(timeout);
        reject(timeout);
      };
      const timer = setTimeout(() => setImmediate(expire), this.options.timeoutMs);
      let invocation: Promise<string>;
      try {
        invocation = this.options.reviewer.invoke(uri, request, cancellation);
      } catch (err) {
        invocation = Promise.reject(err);
      }
      invocation.then(
        (text) => {
          clearTimeout(timer);
          settled = true;
          resolve(text);
          this.release(uri);
        },
        (err: unknown) => {
          clearTimeout(timer);
          settled = true;
          reject(err);
          this.release(uri);
        },
      );
    });
  }

  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();

  /** A failing handler fails every message: one line a second per handler is enough. */
  private logFailure(uri: string, messageId: string, reason: FallbackReason, detail: string): void {
    const logger = this.options.logger;
    if (!logger) return;
    const now = performance.now();
    const last = this.lastLogged.get(uri);
    if (last && now - last.at < 1000) {
      last.suppressed++;
      return;
    }
    logger.warn({ handler: uri, messageId, reason, detail, suppressedSinceLast: last?.suppressed ?? 0 }, 'review fallback');
    this.lastLogged.set(uri, { at: now, suppressed: 0 });
  }

  private release(uri: string): void {
    const left = (this.inFlight.get(uri) ?? 1) - 1;
    if (left <= 0) this.inFlight.delete(uri);
    else this.inFlight.set(uri, left);
  }
}
