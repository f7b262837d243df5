/**
 * The rate-limiter port: shared budgets such as a room's `maximumMessageRatePerSecond`, which
 * all senders of a room draw from together, on whichever node they are connected.
 * Implementations: memory-rate-limiter.ts (one node); a Redis one for clusters.
 */
export interface RateLimiter {
  /**
   * Takes one unit from the budget `key` that allows `perSecond` units per second with bursts
   * up to `perSecond` (a token bucket, full when unused). `perSecond` may change between calls
   * (a room update); the bucket never holds more than the current value. `now` is epoch ms.
   * Resolves true when the unit was taken, false when the budget is spent (nothing taken).
   */
  take(key: string, perSecond: number, now: number): Promise<boolean>;
  /** Releases resources; later calls may reject. */
  close(): Promise<void>;
}
