/**
 * The Store contract's named-secret part (loadOrCreateSecret), run by storeContract for every
 * implementation: the first candidate stored under a name is what every caller gets, on any
 * instance, byte for byte.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { StoreContext } from './store-records.js';

export function secretsContract({ store, another }: StoreContext): void {
  describe('named secrets', () => {
    test('the first candidate is stored; later calls get it back whatever they offer', async () => {
      const first = randomBytes(32);
      assert.deepEqual(await store().loadOrCreateSecret('chat-token', first), first);
      assert.deepEqual(await store().loadOrCreateSecret('chat-token', randomBytes(32)), first);
      assert.deepEqual(await (await another()).loadOrCreateSecret('chat-token', randomBytes(32)), first, 'another instance reads the same bytes');
    });

    test('names are independent, and every byte value survives the round trip', async () => {
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const other = randomBytes(48);
      assert.deepEqual(await store().loadOrCreateSecret('a', all), all);
      assert.deepEqual(await store().loadOrCreateSecret('b', other), other);
      assert.deepEqual(await store().loadOrCreateSecret('a', other), all);
      assert.deepEqual(await store().loadOrCreateSecret('A', other), other, 'names are case-sensitive');
    });

    test('instances creating one secret at once all end up with the same bytes, one of the candidates', async () => {
      const [a, b] = [store(), await another()];
      const candidates = Array.from({ length: 10 }, () => randomBytes(32));
      const got = await Promise.all(candidates.map((c, i) => (i % 2 === 0 ? a : b).loadOrCreateSecret('raced', c)));
      const winner = got[0]!;
      assert.ok(candidates.some((c) => c.equals(winner)), 'the stored secret is one of the candidates');
      for (const g of got) assert.deepEqual(g, winner);
    });
  });
}
