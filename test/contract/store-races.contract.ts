/**
 * The Store contract's cross-instance part, run by storeContract for every implementation: two
 * instances on one backing store (two nodes on one database) race on the same records, and
 * the store — not the caller — keeps every promise of the port.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Room } from '../../src/domain/room.js';
import type { RoomWrite } from '../../src/store/store.js';
import { EAST, loggingRecord, roomRecord, type StoreContext } from './store-records.js';

const roomOf = (w: RoomWrite): Room => {
  assert.equal(w.kind, 'ok');
  return (w as { room: Room }).room;
};

export function storeRacesContract({ store, another }: StoreContext): void {
  describe('two instances on one store', () => {
    test('concurrent updates of one room all succeed with distinct, strictly increasing updateTimes', async () => {
      const [a, b] = [store(), await another()];
      const room = roomOf(await a.createRoom(roomRecord(EAST, { updateTime: 5_000, createTime: 5_000 })));
      // Both "nodes" send the same clock reading, behind the stored time: only the store can
      // keep the times apart.
      const writes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).updateRoom(room.arn, { maximumMessageLength: i + 1 }, 4_000)));
      const times = writes.map((w) => roomOf(w).updateTime).sort((x, y) => x - y);
      assert.deepEqual(times, Array.from({ length: 20 }, (_, i) => 5_001 + i));
      assert.equal((await b.getRoom(room.arn))!.updateTime, 5_020);
    });

    test('concurrent updates of different members of one room lose none of them', async () => {
      const [a, b] = [store(), await another()];
      const room = roomOf(await a.createRoom(roomRecord(EAST)));
      for (let round = 1; round <= 10; round++) {
        await Promise.all([
          a.updateRoom(room.arn, { name: `name-${round}` }, 2_000),
          b.updateRoom(room.arn, { maximumMessageLength: round }, 2_000),
          a.tagResource(room.arn, { [`a${round}`]: 'x' }, 50),
          b.tagResource(room.arn, { [`b${round}`]: 'y' }, 50),
        ]);
        const now = (await a.getRoom(room.arn))!;
        assert.equal(now.name, `name-${round}`);
        assert.equal(now.maximumMessageLength, round);
        assert.equal(Object.keys(now.tags).length, 2 * round, `round ${round}: every tag written is kept`);
      }
    });

    test('one chat token redeemed on both instances at once: exactly one wins', async () => {
      const [a, b] = [store(), await another()];
      const ids = Array.from({ length: 30 }, (_, i) => `both-${i}`);
      const outcomes = await Promise.all(ids.map(async (id) => [await Promise.all([a.redeemChatToken(id, 10_000), b.redeemChatToken(id, 10_000)]), id] as const));
      for (const [[x, y], id] of outcomes) assert.equal(Number(x) + Number(y), 1, `${id}: one winner`);
      assert.equal(await b.redeemChatToken('both-0', 10_000), false, 'and it stays used for every instance');
    });

    test('creating a room that lists a configuration while another instance deletes it: one of the two wins, never both', async () => {
      const [a, b] = [store(), await another()];
      const kinds = new Set<string>();
      for (let i = 0; i < 15; i++) {
        const config = loggingRecord(EAST);
        assert.deepEqual(await a.createLoggingConfiguration(config, 1_000), { kind: 'ok' });
        const room = roomRecord(EAST, { loggingConfigurationIdentifiers: [config.arn] });
        const [created, deleted] = await Promise.all([a.createRoom(room), b.deleteLoggingConfiguration(config.arn)]);
        kinds.add(`${created.kind}/${deleted.kind}`);
        if (created.kind === 'ok') {
          assert.equal(deleted.kind, 'in-use');
          assert.deepEqual((await b.getRoom(room.arn))?.loggingConfigurationIdentifiers, [config.arn]);
          assert.ok(await b.getLoggingConfiguration(config.arn), 'a listed configuration still exists');
        } else {
          assert.deepEqual(created, { kind: 'missing-logging-configurations', arns: [config.arn] });
          assert.deepEqual(deleted, { kind: 'ok' });
          assert.equal(await b.getRoom(room.arn), undefined, 'nothing half-written');
        }
      }
      assert.ok(kinds.size >= 1);
    });

    test('attaching a configuration with updateRoom while another instance deletes it: never a dangling reference', async () => {
      const [a, b] = [store(), await another()];
      for (let i = 0; i < 15; i++) {
        const config = loggingRecord(EAST);
        await a.createLoggingConfiguration(config, 1_000);
        const room = roomOf(await b.createRoom(roomRecord(EAST)));
        const [updated, deleted] = await Promise.all([a.updateRoom(room.arn, { loggingConfigurationIdentifiers: [config.arn] }, 2_000), b.deleteLoggingConfiguration(config.arn)]);
        const listed = (await a.getRoom(room.arn))!.loggingConfigurationIdentifiers;
        const exists = (await a.getLoggingConfiguration(config.arn)) !== undefined;
        if (updated.kind === 'ok') {
          assert.equal(deleted.kind, 'in-use');
          assert.deepEqual(listed, [config.arn]);
          assert.ok(exists);
        } else {
          assert.equal(updated.kind, 'missing-logging-configurations');
          assert.deepEqual(deleted, { kind: 'ok' });
          assert.deepEqual(listed, []);
          assert.ok(!exists);
        }
      }
    });

    test('the logging-configuration quota holds across instances', async () => {
      const [a, b] = [store(), await another()];
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).createLoggingConfiguration(loggingRecord(EAST), 5)));
      assert.equal(results.filter((r) => r.kind === 'ok').length, 5);
      assert.equal((await b.listLoggingConfigurations(EAST, undefined, 50)).length, 5);
    });

    test('a room deleted on one instance is gone for the other; a second delete reports false', async () => {
      const [a, b] = [store(), await another()];
      const room = roomOf(await a.createRoom(roomRecord(EAST)));
      const [x, y] = await Promise.all([a.deleteRoom(room.arn), b.deleteRoom(room.arn)]);
      assert.equal(Number(x) + Number(y), 1);
      assert.deepEqual(await b.updateRoom(room.arn, { name: 'late' }, 9_000), { kind: 'not-found' });
    });
  });
}
