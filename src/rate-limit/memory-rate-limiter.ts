/**
 * The rate limiter of one node: token buckets and slots in Maps, on a clock given at
 * construction (Date.now unless a test injects one). Entries idle long enough to equal a fresh
 * one are forgotten, so memory follows the number of recently active keys.
 */
import { SLOT_MEMORY_MS, type Clock, type RateLimiter, type SlotResult } from './rate-limiter.js';
import { fullBucket, takeToken, type TokenBucket } from './token-bucket.js';

/** Sweep for idle entries at most this often (ms). */
const SWEEP_EVERY_MS = 10_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  /** Slot key → epoch ms of its last taken unit. */
  readonly #slots = new Map<string, number>();
  #sweptAt = 0;

  constructor(private readonly now: Clock = Date.now) {}

  take(key: string, perSecond: number): Promise<boolean> {
    const now = this.#tick();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = fullBucket(perSecond, now);
      this.#buckets.set(key, bucket);
    }
    return Promise.resolve(takeToken(bucket, perSecond, now));
  }

  takeSlot(key: string, intervalMs: number): Promise<SlotResult> {
    const now = this.#tick();
    const last = this.#slots.get(key);
    if (last !== undefined && now - last < intervalMs) return Promise.resolve({ taken: false, retryAfterMs: Math.max(1, Math.ceil(intervalMs - (now - last))) });
    this.#slots.set(key, now);
    return Promise.resolve({ taken: true });
  }

  async close(): Promise<void> {
    this.#buckets.clear();
    this.#slots.clear();
  }

  /** The time now, sweeping first when a sweep is due. */
  #tick(): number {
    const now = this.now();
    if (now - this.#sweptAt >= SWEEP_EVERY_MS) this.#sweep(now);
    return now;
  }

  /** A bucket idle for over a second refilled completely, a slot past its memory is free: dropping them changes nothing. */
  #sweep(now: number): void {
    this.#sweptAt = now;
    for (const [key, bucket] of this.#buckets) if (now - bucket.at > 1000) this.#buckets.delete(key);
    for (const [key, at] of this.#slots) if (now - at > SLOT_MEMORY_MS) this.#slots.delete(key);
  }
}
