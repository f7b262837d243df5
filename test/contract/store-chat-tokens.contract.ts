/**
 * The Store contract's used-chat-token part (redeemChatToken, forgetExpiredChatTokens), run by
 * storeContract inside its describe so that every implementation gets it. Ids are fresh per test.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';

export function usedChatTokensContract(store: () => Store): void {
  describe('used chat tokens', () => {
    test('the first redeem of an id wins, every later one loses (whatever expiry it names)', async () => {
      assert.equal(await store().redeemChatToken('tok-a', 10_000), true);
      assert.equal(await store().redeemChatToken('tok-a', 10_000), false);
      assert.equal(await store().redeemChatToken('tok-a', 99_000), false);
    });

    test('different ids are independent', async () => {
      assert.equal(await store().redeemChatToken('tok-a', 10_000), true);
      assert.equal(await store().redeemChatToken('tok-b', 10_000), true);
      assert.equal(await store().redeemChatToken('tok-A', 10_000), true, 'ids are case-sensitive');
      assert.equal(await store().redeemChatToken('tok-b', 10_000), false);
    });

    test('the sweep forgets exactly the ids expired by then (expiry <= now), and counts them', async () => {
      await store().redeemChatToken('early', 5_000);
      await store().redeemChatToken('edge', 6_000);
      await store().redeemChatToken('late', 6_001);
      assert.equal(await store().forgetExpiredChatTokens(4_999), 0);
      assert.equal(await store().redeemChatToken('early', 5_000), false, 'kept until its expiry');
      assert.equal(await store().forgetExpiredChatTokens(6_000), 2);
      assert.equal(await store().redeemChatToken('late', 6_001), false, 'not expired yet: still used');
      // Forgotten ids are free again (the token's own expiry refuses them in real use).
      assert.equal(await store().redeemChatToken('early', 5_000), true);
      assert.equal(await store().redeemChatToken('edge', 6_000), true);
      assert.equal(await store().forgetExpiredChatTokens(6_000), 2);
      assert.equal(await store().forgetExpiredChatTokens(6_000), 0);
    });

    test('concurrent redeems of one id have exactly one winner', async () => {
      const outcomes = await Promise.all(Array.from({ length: 100 }, () => store().redeemChatToken('raced', 10_000)));
      assert.equal(outcomes.filter(Boolean).length, 1);
    });

    test('many ids redeemed concurrently, each several times: one winner per id', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `many-${i}`);
      const calls = ids.flatMap((id) => Array.from({ length: 5 }, () => id)).sort(() => Math.random() - 0.5);
      const outcomes = await Promise.all(calls.map(async (id) => ({ id, won: await store().redeemChatToken(id, 10_000) })));
      const winners = outcomes.filter((o) => o.won).map((o) => o.id).sort();
      assert.deepEqual(winners, [...ids].sort());
    });
  });
}
