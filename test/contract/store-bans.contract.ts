/**
 * The Store contract's bans part (putBan, deleteBan, getBan, listBans, forgetExpiredBans), run
 * by storeContract inside its describe so that every implementation gets it. `addRoom` creates
 * a fresh room in the store under test.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Ban } from '../../src/domain/ban.js';
import type { Store } from '../../src/store/store.js';

const ban = (roomArn: string, userId: string, over: Partial<Ban> = {}): Ban => ({
  roomArn,
  userId,
  reason: undefined,
  createTime: 1_000,
  expireTime: undefined,
  ...over,
});

export function bansContract(store: () => Store, addRoom: () => Promise<{ arn: string }>): void {
  describe('bans', () => {
    test('a ban reads back exactly while it holds; a ban with an end stops holding at it', async () => {
      const { arn } = await addRoom();
      const forever = ban(arn, 'u1', { reason: 'spam' });
      const until = ban(arn, 'u2', { expireTime: 5_000 });
      assert.equal(await store().putBan(forever), true);
      assert.equal(await store().putBan(until), true);
      assert.deepEqual(await store().getBan(arn, 'u1', 10 ** 12), forever);
      assert.deepEqual(await store().getBan(arn, 'u2', 4_999), until);
      assert.equal(await store().getBan(arn, 'u2', 5_000), undefined, 'ended at expireTime');
      assert.equal(await store().getBan(arn, 'U1', 0), undefined, 'user ids are case-sensitive');
    });

    test('a new ban of the same user replaces the old one; deleteBan removes it (and ignores absent ones)', async () => {
      const { arn } = await addRoom();
      await store().putBan(ban(arn, 'u', { reason: 'first', expireTime: 2_000 }));
      const second = ban(arn, 'u', { reason: 'second', createTime: 1_500 });
      await store().putBan(second);
      assert.deepEqual(await store().getBan(arn, 'u', 3_000), second);
      await store().deleteBan(arn, 'u');
      await store().deleteBan(arn, 'nobody');
      assert.equal(await store().getBan(arn, 'u', 0), undefined);
    });

    test('a ban needs its room, is per room, and goes with it', async () => {
      const [a, b] = [await addRoom(), await addRoom()];
      assert.equal(await store().putBan(ban(`${a.arn}-missing`, 'u')), false);
      await store().putBan(ban(a.arn, 'u'));
      assert.equal(await store().getBan(b.arn, 'u', 0), undefined);
      assert.equal(await store().deleteRoom(a.arn), true);
      assert.equal(await store().getBan(a.arn, 'u', 0), undefined);
      assert.deepEqual(await store().listBans(a.arn, 0, undefined, 10), []);
    });

    test('listBans pages by userId, leaving out ended bans', async () => {
      const { arn } = await addRoom();
      for (const u of ['d', 'b', 'a', 'c', 'e']) await store().putBan(ban(arn, u, u === 'c' ? { expireTime: 2_000 } : {}));
      const first = await store().listBans(arn, 3_000, undefined, 2);
      assert.deepEqual(first.map((b) => b.userId), ['a', 'b']);
      const second = await store().listBans(arn, 3_000, 'b', 2);
      assert.deepEqual(second.map((b) => b.userId), ['d', 'e'], 'c ended');
      assert.deepEqual(await store().listBans(arn, 3_000, 'e', 2), []);
      assert.deepEqual((await store().listBans(arn, 1_000, undefined, 10)).map((b) => b.userId), ['a', 'b', 'c', 'd', 'e']);
    });

    test('the sweep forgets exactly the bans ended by then, and counts them', async () => {
      const { arn } = await addRoom();
      await store().putBan(ban(arn, 'early', { expireTime: 5_000 }));
      await store().putBan(ban(arn, 'edge', { expireTime: 6_000 }));
      await store().putBan(ban(arn, 'late', { expireTime: 6_001 }));
      await store().putBan(ban(arn, 'forever'));
      assert.equal(await store().forgetExpiredBans(4_999), 0);
      assert.equal(await store().forgetExpiredBans(6_000), 2);
      assert.deepEqual((await store().listBans(arn, 0, undefined, 10)).map((b) => b.userId), ['forever', 'late']);
    });
  });
}
