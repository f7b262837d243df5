/** A token bucket as two numbers, for callers that keep many of them (one per connection). */
export interface TokenBucket {
  tokens: number;
  /** Epoch ms of the last refill. */
  at: number;
}

export function fullBucket(capacity: number, now: number): TokenBucket {
  return { tokens: capacity, at: now };
}

/**
 * Refills `bucket` at `perSecond` (capped at `perSecond`, the burst) up to `now`, then takes
 * one token if there is one. Returns whether it took one.
 */
export function takeToken(bucket: TokenBucket, perSecond: number, now: number): boolean {
  const elapsed = now - bucket.at;
  if (elapsed > 0) {
    bucket.tokens = Math.min(perSecond, bucket.tokens + (elapsed * perSecond) / 1000);
    bucket.at = now;
  } else if (bucket.tokens > perSecond) {
    bucket.tokens = perSecond;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
