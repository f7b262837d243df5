/**
 * Nearest-rank percentile of ascending `sorted` values, `p` in percent (0–100): the smallest
 * value with at least p % of the values at or below it. NaN when there are none. Shared by the
 * benches that keep raw samples (the chat load generator keeps a histogram instead).
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
