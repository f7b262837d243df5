/**
 * The rate limiter of one node: token buckets in a Map. Buckets that have been idle long
 * enough to be full again are forgotten (they equal a fresh bucket), so memory follows the
 * number of recently active keys.
 */
import type { RateLimiter } from './rate-limiter.js';
import { fullBucket, takeToken, type TokenBucket } from './token-bucket.js';

/** Sweep for idle buckets at most this often (ms). */
const SWEEP_EVERY_MS = 10_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  #sweptAt = 0;

  take(key: string, perSecond: number, now: number): Promise<boolean> {
    if (now - this.#sweptAt >= SWEEP_EVERY_MS) this.#sweep(now);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = fullBucket(perSecond, now);
      this.#buckets.set(key, bucket);
    }
    return Promise.resolve(takeToken(bucket, perSecond, now));
  }

  async close(): Promise<void> {
    this.#buckets.clear();
  }

  /** A bucket idle for over a second refilled completely: dropping it changes nothing. */
  #sweep(now: number): void {
    this.#sweptAt = now;
    for (const [key, bucket] of this.#buckets) if (now - bucket.at > 1000) this.#buckets.delete(key);
  }
}
