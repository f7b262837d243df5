/** The rate-limiter contract, run against every implementation. Time is passed in, so exact. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RateLimiter } from '../../src/rate-limit/rate-limiter.js';

async function takeMany(limiter: RateLimiter, key: string, perSecond: number, now: number, n: number): Promise<number> {
  let taken = 0;
  for (let i = 0; i < n; i++) if (await limiter.take(key, perSecond, now)) taken++;
  return taken;
}

export function rateLimiterContract(name: string, create: () => Promise<RateLimiter>): void {
  const t0 = 1_700_000_000_000;

  test(`${name}: a fresh budget allows a burst of perSecond, then refuses`, async () => {
    const limiter = await create();
    try {
      assert.equal(await takeMany(limiter, 'k', 5, t0, 8), 5);
    } finally {
      await limiter.close();
    }
  });

  test(`${name}: budgets refill at perSecond and never beyond the burst`, async () => {
    const limiter = await create();
    try {
      assert.equal(await takeMany(limiter, 'k', 10, t0, 10), 10);
      assert.equal(await takeMany(limiter, 'k', 10, t0 + 500, 10), 5, 'half a second refills half');
      assert.equal(await takeMany(limiter, 'k', 10, t0 + 60_000, 20), 10, 'a long pause refills only to the burst');
    } finally {
      await limiter.close();
    }
  });

  test(`${name}: keys are independent`, async () => {
    const limiter = await create();
    try {
      assert.equal(await takeMany(limiter, 'a', 2, t0, 3), 2);
      assert.equal(await takeMany(limiter, 'b', 2, t0, 3), 2);
    } finally {
      await limiter.close();
    }
  });

  test(`${name}: lowering perSecond applies at once`, async () => {
    const limiter = await create();
    try {
      assert.equal(await takeMany(limiter, 'k', 100, t0, 1), 1);
      assert.equal(await takeMany(limiter, 'k', 2, t0, 5), 2);
      assert.equal(await takeMany(limiter, 'k', 2, t0 + 1000, 5), 2);
    } finally {
      await limiter.close();
    }
  });
}
