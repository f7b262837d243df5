/**
 * The rate-limiter contract, run against every implementation, with two instances as two
 * nodes sharing one budget store (the memory limiter passes the same instance twice).
 * Implementations read their own clock, so the harness either drives an injected one
 * (exact) or lets real time pass; bounds are computed from the time the harness observed,
 * which contains every instant the limiter read, so they hold on a loaded machine too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RateLimiter } from '../../src/rate-limit/rate-limiter.js';

export interface LimiterNodes {
  readonly a: RateLimiter;
  readonly b: RateLimiter;
  /** The limiters' clock as the test sees it (epoch ms). */
  now(): number;
  /** Lets at least `ms` pass on the limiters' clock. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Takes `n` units from `key`, alternating between the two nodes; returns how many were taken and over what time. */
async function takeMany(nodes: LimiterNodes, key: string, perSecond: number, n: number): Promise<{ taken: number; from: number; to: number }> {
  const from = nodes.now();
  let taken = 0;
  for (let i = 0; i < n; i++) if (await (i % 2 === 0 ? nodes.a : nodes.b).take(key, perSecond)) taken++;
  return { taken, from, to: nodes.now() };
}

/** Units a bucket of `perSecond` can have refilled in (to − from) ms, plus a fraction left over. */
const refill = (perSecond: number, from: number, to: number): number => Math.floor(((to - from) * perSecond) / 1000) + 1;

export function rateLimiterContract(name: string, create: () => Promise<LimiterNodes>): void {
  test(`${name}: a fresh room budget of 10/s allows a burst of 10 across both nodes, then refuses`, async () => {
    const nodes = await create();
    try {
      const { taken, from, to } = await takeMany(nodes, 'k', 10, 30);
      assert.ok(taken >= 10, `took ${taken}`);
      assert.ok(taken <= 10 + refill(10, from, to) - 1, `took ${taken} in ${to - from} ms`);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: budgets refill at perSecond and never beyond the burst`, async () => {
    const nodes = await create();
    try {
      const first = await takeMany(nodes, 'k', 10, 20);
      assert.ok(first.taken >= 10);
      await nodes.advance(500);
      const half = await takeMany(nodes, 'k', 10, 20);
      assert.ok(half.taken >= 5, `half a second refills at least half: ${half.taken}`);
      assert.ok(half.taken <= refill(10, first.to, half.to), `took ${half.taken} in ${half.to - first.to} ms`);
      await nodes.advance(3000);
      const long = await takeMany(nodes, 'k', 10, 30);
      assert.ok(long.taken >= 10, `a long pause refills to the burst: ${long.taken}`);
      assert.ok(long.taken <= 10 + refill(10, long.from, long.to) - 1, `and not beyond it: ${long.taken} in ${long.to - long.from} ms`);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: keys are independent`, async () => {
    const nodes = await create();
    try {
      const a = await takeMany(nodes, 'a', 2, 6);
      const b = await takeMany(nodes, 'b', 2, 6);
      assert.ok(a.taken >= 2 && a.taken <= 2 + refill(2, a.from, a.to) - 1, `a: ${a.taken}`);
      assert.ok(b.taken >= 2 && b.taken <= 2 + refill(2, b.from, b.to) - 1, `b: ${b.taken}`);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: lowering perSecond applies at once`, async () => {
    const nodes = await create();
    try {
      assert.equal(await nodes.a.take('k', 100), true);
      const low = await takeMany(nodes, 'k', 2, 10);
      assert.ok(low.taken >= 2 && low.taken <= 2 + refill(2, low.from, low.to) - 1, `took ${low.taken}`);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: a slot is taken once per interval across nodes, and the refusal says how long to wait`, async () => {
    const nodes = await create();
    try {
      const from = nodes.now();
      assert.deepEqual(await nodes.a.takeSlot('user', 2000), { taken: true });
      const refused = await nodes.b.takeSlot('user', 2000);
      const to = nodes.now();
      assert.equal(refused.taken, false, 'the second take within the interval, on the other node');
      if (refused.taken) return;
      assert.ok(refused.retryAfterMs <= 2000 && refused.retryAfterMs >= 2000 - (to - from) - 2, `retry after ${refused.retryAfterMs} ms`);
      assert.deepEqual(await nodes.b.takeSlot('other-user', 2000), { taken: true }, 'slots are per key');
      await nodes.advance(refused.retryAfterMs);
      assert.deepEqual(await nodes.b.takeSlot('user', 2000), { taken: true }, 'free again once the wait is over');
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: a slot judges by the interval given now (lowered or raised)`, async () => {
    const nodes = await create();
    try {
      assert.deepEqual(await nodes.a.takeSlot('u', 60_000), { taken: true });
      await nodes.advance(1000);
      assert.deepEqual(await nodes.b.takeSlot('u', 500), { taken: true }, 'lowered to 0.5 s: a second later is fine');
      await nodes.advance(1000);
      const raised = await nodes.a.takeSlot('u', 60_000);
      assert.equal(raised.taken, false, 'raised to 60 s: refused');
      if (!raised.taken) assert.ok(raised.retryAfterMs > 50_000 && raised.retryAfterMs <= 59_000, `retry after ${raised.retryAfterMs}`);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: concurrent slot takes — exactly one wins`, async () => {
    const nodes = await create();
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? nodes.a : nodes.b).takeSlot('race', 10_000)));
      assert.equal(results.filter((r) => r.taken).length, 1);
    } finally {
      await nodes.close();
    }
  });
}
