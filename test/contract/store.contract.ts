/**
 * The Store port's contract (src/store/store.ts), run against every implementation
 * (sqlite-store.test.ts, postgres-store.test.ts): each test gets a fresh, empty backing store
 * from `fresh`, and a first instance on it; race cases open a second instance on the same data
 * (another node) through the fixture. Everything is closed and disposed after each test.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { formatArn, type Scope } from '../../src/domain/arn.js';
import type { LoggingConfiguration } from '../../src/domain/logging-configuration.js';
import type { Room } from '../../src/domain/room.js';
import type { Store } from '../../src/store/store.js';
import { bansContract } from './store-bans.contract.js';
import { usedChatTokensContract } from './store-chat-tokens.contract.js';
import { EAST, loggingRecord, OTHER, roomRecord, WEST, type StoreContext, type StoreFixture } from './store-records.js';
import { storeRacesContract } from './store-races.contract.js';
import { secretsContract } from './store-secrets.contract.js';

export { loggingRecord, roomRecord, type StoreFixture } from './store-records.js';

export function storeContract(name: string, fresh: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let opened: Store[] = [];
    beforeEach(async () => {
      fixture = await fresh();
      store = await fixture.open();
      opened = [store];
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await fixture.dispose();
    });
    const context: StoreContext = {
      store: () => store,
      another: async () => {
        const s = await fixture.open();
        opened.push(s);
        return s;
      },
    };
    usedChatTokensContract(() => store);
    bansContract(
      () => store,
      async () => {
        const write = await store.createRoom(roomRecord(EAST));
        assert.equal(write.kind, 'ok');
        return (write as { room: Room }).room;
      },
    );
    secretsContract(context);
    storeRacesContract(context);

    const addConfig = async (scope: Scope = EAST, over: Partial<LoggingConfiguration> = {}) => {
      const c = loggingRecord(scope, over);
      assert.deepEqual(await store.createLoggingConfiguration(c, 10), { kind: 'ok' });
      return c;
    };
    const addRoom = async (scope: Scope = EAST, over: Partial<Room> = {}) => {
      const write = await store.createRoom(roomRecord(scope, over));
      assert.equal(write.kind, 'ok');
      return (write as { room: Room }).room;
    };

    describe('rooms', () => {
      test('a created room reads back exactly, logging configurations in the given order', async () => {
        const [a, b] = [await addConfig(), await addConfig()];
        const room = roomRecord(EAST, {
          name: 'n',
          maximumMessageLength: 7,
          maximumMessageRatePerSecond: 3,
          messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:f', fallbackResult: 'DENY' },
          tags: { k: 'v', empty: '' },
          loggingConfigurationIdentifiers: [b.arn, a.arn],
        });
        assert.deepEqual(await store.createRoom(room), { kind: 'ok', room });
        assert.deepEqual(await store.getRoom(room.arn), room);
        assert.equal(await store.getRoom(formatArn(EAST, 'room', 'NotThere0000')), undefined);
      });

      test('createRoom with a missing logging configuration writes nothing and names the missing ones', async () => {
        const present = await addConfig();
        const missing = formatArn(EAST, 'logging-configuration', 'Missing00000');
        const room = roomRecord(EAST, { loggingConfigurationIdentifiers: [present.arn, missing] });
        assert.deepEqual(await store.createRoom(room), { kind: 'missing-logging-configurations', arns: [missing] });
        assert.equal(await store.getRoom(room.arn), undefined);
        assert.deepEqual(await store.listRooms(EAST, {}, undefined, 50), []);
        assert.deepEqual(await store.deleteLoggingConfiguration(present.arn), { kind: 'ok' }, 'no half-written reference remains');
      });

      test('updateRoom applies only the members present; a review-handler change follows nextReviewHandler', async () => {
        const config = await addConfig();
        const room = await addRoom(EAST, {
          name: 'old',
          messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:f', fallbackResult: 'ALLOW' },
          loggingConfigurationIdentifiers: [config.arn],
          tags: { t: '1' },
        });
        const renamed = await store.updateRoom(room.arn, { name: 'new' }, 2_000);
        assert.deepEqual(renamed, { kind: 'ok', room: { ...room, name: 'new', updateTime: 2_000 } });
        const denied = await store.updateRoom(room.arn, { messageReviewHandler: { fallbackResult: 'DENY' } }, 2_500);
        assert.deepEqual((denied as { room: Room }).room.messageReviewHandler, { uri: 'arn:aws:lambda:us-east-1:123456789012:function:f', fallbackResult: 'DENY' });
        const cleared = await store.updateRoom(room.arn, { messageReviewHandler: { uri: '' }, loggingConfigurationIdentifiers: [], maximumMessageLength: 1 }, 3_000);
        assert.deepEqual(cleared, {
          kind: 'ok',
          room: { ...room, name: 'new', updateTime: 3_000, messageReviewHandler: undefined, loggingConfigurationIdentifiers: [], maximumMessageLength: 1 },
        });
        assert.deepEqual(await store.getRoom(room.arn), (cleared as { room: Room }).room);
      });

      test('updateRoom: updateTime is max(now, previous + 1), so it never stands still or goes back', async () => {
        const room = await addRoom(EAST, { updateTime: 5_000, createTime: 5_000 });
        const times: number[] = [];
        for (const now of [4_000, 5_000, 5_000, 9_000, 9_000]) {
          const w = await store.updateRoom(room.arn, {}, now);
          times.push((w as { room: Room }).room.updateTime);
        }
        assert.deepEqual(times, [5_001, 5_002, 5_003, 9_000, 9_001]);
        assert.equal((await store.getRoom(room.arn))!.createTime, 5_000);
      });

      test('concurrent updates at the same instant get distinct updateTimes', async () => {
        const room = await addRoom();
        const writes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.updateRoom(room.arn, { maximumMessageLength: i + 1 }, 2_000)));
        const times = writes.map((w) => (w as { room: Room }).room.updateTime);
        assert.equal(new Set(times).size, 10);
      });

      test('updateRoom with a missing logging configuration or an unknown room writes nothing', async () => {
        const room = await addRoom(EAST, { name: 'keep' });
        const missing = formatArn(EAST, 'logging-configuration', 'Missing00000');
        assert.deepEqual(await store.updateRoom(room.arn, { name: 'lost', loggingConfigurationIdentifiers: [missing] }, 9_000), {
          kind: 'missing-logging-configurations',
          arns: [missing],
        });
        assert.deepEqual(await store.getRoom(room.arn), room);
        assert.deepEqual(await store.updateRoom(formatArn(EAST, 'room', 'NotThere0000'), { name: 'x' }, 9_000), { kind: 'not-found' });
      });

      test('deleteRoom reports whether a room went; its logging references go with it', async () => {
        const config = await addConfig();
        const room = await addRoom(EAST, { loggingConfigurationIdentifiers: [config.arn] });
        assert.equal(await store.deleteRoom(room.arn), true);
        assert.equal(await store.deleteRoom(room.arn), false);
        assert.equal(await store.getRoom(room.arn), undefined);
        assert.deepEqual(await store.deleteLoggingConfiguration(config.arn), { kind: 'ok' });
      });

      test('listRooms: one scope, newest updateTime first, ties by arn descending, paging after a key', async () => {
        const rooms = [
          await addRoom(EAST, { updateTime: 3_000 }),
          await addRoom(EAST, { updateTime: 1_000 }),
          await addRoom(EAST, { updateTime: 2_000 }),
          await addRoom(EAST, { updateTime: 2_000 }),
          await addRoom(EAST, { updateTime: 2_000 }),
        ];
        await addRoom(WEST, { updateTime: 9_000 });
        await addRoom(OTHER, { updateTime: 9_000 });
        const expected = [...rooms].sort((a, b) => b.updateTime - a.updateTime || (a.arn < b.arn ? 1 : -1)).map((r) => r.arn);
        const all = await store.listRooms(EAST, {}, undefined, 50);
        assert.deepEqual(all.map((r) => r.arn), expected);
        const paged: string[] = [];
        let after: { updateTime: number; arn: string } | undefined;
        for (;;) {
          const page = await store.listRooms(EAST, {}, after, 2);
          paged.push(...page.map((r) => r.arn));
          if (page.length < 2) break;
          const last = page[page.length - 1]!;
          after = { updateTime: last.updateTime, arn: last.arn };
        }
        assert.deepEqual(paged, expected);
      });

      test('listRooms filters by exact name, handler uri and logging configuration, combined with AND', async () => {
        const [c1, c2] = [await addConfig(), await addConfig()];
        const uri = 'arn:aws:lambda:us-east-1:123456789012:function:f';
        const r1 = await addRoom(EAST, { name: 'a', messageReviewHandler: { uri, fallbackResult: 'ALLOW' }, loggingConfigurationIdentifiers: [c1.arn] });
        const r2 = await addRoom(EAST, { name: 'a', loggingConfigurationIdentifiers: [c1.arn, c2.arn] });
        const r3 = await addRoom(EAST, { name: 'ab', messageReviewHandler: { uri, fallbackResult: 'DENY' } });
        const arns = async (f: Parameters<Store['listRooms']>[1]) => (await store.listRooms(EAST, f, undefined, 50)).map((r) => r.arn).sort();
        assert.deepEqual(await arns({ name: 'a' }), [r1.arn, r2.arn].sort());
        assert.deepEqual(await arns({ messageReviewHandlerUri: uri }), [r1.arn, r3.arn].sort());
        assert.deepEqual(await arns({ loggingConfigurationIdentifier: c2.arn }), [r2.arn]);
        assert.deepEqual(await arns({ name: 'a', loggingConfigurationIdentifier: c1.arn }), [r1.arn, r2.arn].sort());
        assert.deepEqual(await arns({ name: 'a', messageReviewHandlerUri: uri, loggingConfigurationIdentifier: c1.arn }), [r1.arn]);
        assert.deepEqual(await arns({ name: 'ab', loggingConfigurationIdentifier: c1.arn }), []);
      });
    });

    describe('logging configurations', () => {
      test('create, read back, quota per scope checked atomically', async () => {
        const c = loggingRecord(EAST, { name: 'x', tags: { a: 'b' }, destinationConfiguration: { firehose: { deliveryStreamName: 's' } } });
        assert.deepEqual(await store.createLoggingConfiguration(c, 2), { kind: 'ok' });
        assert.deepEqual(await store.getLoggingConfiguration(c.arn), c);
        assert.deepEqual(await store.createLoggingConfiguration(loggingRecord(EAST), 2), { kind: 'ok' });
        const third = loggingRecord(EAST);
        assert.deepEqual(await store.createLoggingConfiguration(third, 2), { kind: 'quota-exceeded', limit: 2 });
        assert.equal(await store.getLoggingConfiguration(third.arn), undefined);
        assert.deepEqual(await store.createLoggingConfiguration(loggingRecord(WEST), 2), { kind: 'ok' }, 'quota is per region');
        assert.deepEqual(await store.createLoggingConfiguration(loggingRecord(OTHER), 2), { kind: 'ok' }, 'quota is per account');
        const racing = await Promise.all(Array.from({ length: 5 }, () => store.createLoggingConfiguration(loggingRecord(WEST), 3)));
        assert.equal(racing.filter((r) => r.kind === 'ok').length, 2);
      });

      test('update applies present members with the forward-only updateTime; unknown → undefined', async () => {
        const c = await addConfig(EAST, { name: 'a', updateTime: 5_000 });
        const renamed = await store.updateLoggingConfiguration(c.arn, { name: 'b' }, 1_000);
        assert.deepEqual(renamed, { ...c, name: 'b', updateTime: 5_001 });
        const moved = await store.updateLoggingConfiguration(c.arn, { destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g' } } }, 8_000);
        assert.deepEqual(moved, { ...c, name: 'b', updateTime: 8_000, destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g' } } });
        assert.deepEqual(await store.getLoggingConfiguration(c.arn), moved);
        assert.equal(await store.updateLoggingConfiguration(formatArn(EAST, 'logging-configuration', 'NotThere0000'), { name: 'x' }, 1), undefined);
      });

      test('delete refuses while rooms use it (naming them), succeeds once detached, then not-found', async () => {
        const c = await addConfig();
        const r1 = await addRoom(EAST, { loggingConfigurationIdentifiers: [c.arn] });
        const r2 = await addRoom(EAST, { loggingConfigurationIdentifiers: [c.arn] });
        const refused = await store.deleteLoggingConfiguration(c.arn);
        assert.equal(refused.kind, 'in-use');
        assert.deepEqual([...(refused as { roomArns: readonly string[] }).roomArns].sort(), [r1.arn, r2.arn].sort());
        assert.deepEqual(await store.getLoggingConfiguration(c.arn), c);
        await store.updateRoom(r1.arn, { loggingConfigurationIdentifiers: [] }, 2_000);
        assert.equal((await store.deleteLoggingConfiguration(c.arn)).kind, 'in-use');
        await store.deleteRoom(r2.arn);
        assert.deepEqual(await store.deleteLoggingConfiguration(c.arn), { kind: 'ok' });
        assert.deepEqual(await store.deleteLoggingConfiguration(c.arn), { kind: 'not-found' });
      });

      test('list: one scope, newest updateTime first, paging after a key', async () => {
        const configs = [await addConfig(EAST, { updateTime: 2_000 }), await addConfig(EAST, { updateTime: 3_000 }), await addConfig(EAST, { updateTime: 1_000 })];
        await addConfig(WEST);
        const expected = [configs[1]!, configs[0]!, configs[2]!].map((c) => c.arn);
        assert.deepEqual((await store.listLoggingConfigurations(EAST, undefined, 50)).map((c) => c.arn), expected);
        const first = await store.listLoggingConfigurations(EAST, undefined, 2);
        const last = first[1]!;
        const rest = await store.listLoggingConfigurations(EAST, { updateTime: last.updateTime, arn: last.arn }, 2);
        assert.deepEqual([...first, ...rest].map((c) => c.arn), expected);
      });
    });

    describe('tags', () => {
      test('merge over existing tags, on rooms and logging configurations alike', async () => {
        for (const arn of [(await addRoom(EAST, { tags: { a: '1' } })).arn, (await addConfig(EAST, { tags: { a: '1' } })).arn]) {
          assert.deepEqual(await store.tagResource(arn, { a: '2', b: '3' }, 50), { kind: 'ok', tags: { a: '2', b: '3' } });
          assert.deepEqual(await store.getTags(arn), { a: '2', b: '3' });
        }
      });

      test('the limit counts the merged result; over it nothing is written', async () => {
        const room = await addRoom(EAST, { tags: { a: '1', b: '2' } });
        assert.deepEqual(await store.tagResource(room.arn, { a: 'x', c: '3' }, 3), { kind: 'ok', tags: { a: 'x', b: '2', c: '3' } });
        assert.deepEqual(await store.tagResource(room.arn, { d: '4' }, 3), { kind: 'too-many', limit: 3 });
        assert.deepEqual(await store.getTags(room.arn), { a: 'x', b: '2', c: '3' });
      });

      test('untag removes listed keys and ignores absent ones; repeating it changes nothing', async () => {
        const room = await addRoom(EAST, { tags: { a: '1', b: '2' } });
        assert.deepEqual(await store.untagResource(room.arn, ['a', 'zzz']), { kind: 'ok', tags: { b: '2' } });
        assert.deepEqual(await store.untagResource(room.arn, ['a', 'zzz']), { kind: 'ok', tags: { b: '2' } });
        assert.deepEqual(await store.untagResource(room.arn, []), { kind: 'ok', tags: { b: '2' } });
        assert.deepEqual(await store.getTags(room.arn), { b: '2' });
      });

      test('tags do not change updateTime; unknown resources are not-found / undefined', async () => {
        const room = await addRoom(EAST, { updateTime: 7_000 });
        await store.tagResource(room.arn, { a: '1' }, 50);
        assert.equal((await store.getRoom(room.arn))!.updateTime, 7_000);
        for (const arn of [formatArn(EAST, 'room', 'NotThere0000'), formatArn(EAST, 'logging-configuration', 'NotThere0000')]) {
          assert.equal(await store.getTags(arn), undefined);
          assert.deepEqual(await store.tagResource(arn, { a: '1' }, 50), { kind: 'not-found' });
          assert.deepEqual(await store.untagResource(arn, ['a']), { kind: 'not-found' });
        }
      });
    });
  });
}
