/**
 * Review counters for /metrics: every decision by outcome (and, for fallbacks, why), and how
 * long deciding took.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** `rewritten` = allowed with the handler's own content or attributes; `fallback` = the room's fallbackResult applied. */
export type ReviewOutcome = 'allowed' | 'rewritten' | 'denied' | 'fallback';
export type FallbackReason = 'timeout' | 'error' | 'invalid' | 'overload';

export class ReviewMetrics {
  private readonly decisions: Counter<'outcome' | 'reason'>;
  private readonly duration: Histogram<'outcome'>;
  /** Reviews asked and not settled yet, all handlers together (set by the gate that owns them). */
  readInFlight: () => number = () => 0;

  constructor(registry: Registry) {
    this.decisions = new Counter({
      name: 'parlor_reviews_total',
      help: 'Messages decided by a review handler, by outcome; reason says why a fallback applied ("none" otherwise)',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'parlor_review_duration_seconds',
      help: 'Time from asking a review handler to the decision, by outcome',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const read = (): number => this.readInFlight();
    new Gauge({
      name: 'parlor_reviews_in_flight',
      help: 'Review calls asked and not settled yet, all handlers together (each handler URI is bounded, see docs/review.md)',
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  }

  record(outcome: ReviewOutcome, reason: FallbackReason | undefined, seconds: number): void {
    this.decisions.inc({ outcome, reason: reason ?? 'none' });
    this.duration.observe({ outcome }, seconds);
  }
}
