/**
 * The rate-limiter port: budgets shared by every node, such as a room's
 * `maximumMessageRatePerSecond` (all senders of a room draw from it together) and a user's
 * slow-mode slot in a room. Each implementation reads its own clock (Redis: the server's
 * `TIME`, so nodes with skewed clocks agree), never the caller's. Implementations:
 * memory-rate-limiter.ts (one node), redis-rate-limiter.ts (clusters).
 */
export interface RateLimiter {
  /**
   * Takes one unit from the budget `key` that allows `perSecond` units per second with bursts
   * up to `perSecond` (a token bucket, full when unused). `perSecond` may change between calls
   * (a room update); the bucket never holds more than the current value. Resolves true when
   * the unit was taken, false when the budget is spent (nothing taken).
   */
  take(key: string, perSecond: number): Promise<boolean>;
  /**
   * Takes the slot `key` if no unit of it was taken in the last `intervalMs` ms (checked
   * against the interval given now, so a changed interval applies at once, either way, for
   * intervals up to SLOT_MEMORY_MS). Atomic: of concurrent takers, one wins.
   */
  takeSlot(key: string, intervalMs: number): Promise<SlotResult>;
  /** Releases resources; later calls may reject. */
  close(): Promise<void>;
}

export type SlotResult =
  | { readonly taken: true }
  /** `retryAfterMs`: how long until the slot can be taken (≥ 1). */
  | { readonly taken: false; readonly retryAfterMs: number };

/** How long a slot remembers its last taken unit (ms): one hour, slow mode's longest interval. */
export const SLOT_MEMORY_MS = 3_600_000;

/** Epoch milliseconds; a limiter's own clock. */
export type Clock = () => number;
