/**
 * PostgresStore against the Store contract (one fresh schema per test, in a database of this
 * run's own, dropped at the end), plus what only the PostgreSQL store promises: migrations
 * that nodes starting together apply exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { POSTGRES_MIGRATIONS } from '../../src/store/migrations/postgres.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { freshDatabase, freshSchema, withClient, type FreshDatabase } from '../helpers/postgres.js';
import { loggingRecord, roomRecord, storeContract } from './store.contract.js';

let db: FreshDatabase;
before(async () => {
  db = await freshDatabase();
});
after(() => db.drop());

storeContract('PostgresStore', async () => {
  const url = await freshSchema(db.url);
  return { open: () => PostgresStore.open(url), dispose: async () => {} };
});

test('PostgresStore: three nodes opening a fresh database at once migrate it exactly once and share it', async () => {
  const fresh = await freshDatabase();
  try {
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open(fresh.url)));
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    const config = loggingRecord(scope);
    await stores[0]!.createLoggingConfiguration(config, 10);
    const room = roomRecord(scope, { loggingConfigurationIdentifiers: [config.arn] });
    await stores[1]!.createRoom(room);
    assert.deepEqual(await stores[2]!.getRoom(room.arn), room);
    const again = await PostgresStore.open(fresh.url); // a fourth start finds nothing to do
    assert.deepEqual(await again.getLoggingConfiguration(config.arn), config);
    await Promise.all([...stores, again].map((s) => s.close()));
    await withClient(fresh.url, async (c) => {
      const version = await c.query<{ version: number }>('SELECT version FROM parlor_schema_version');
      assert.deepEqual(version.rows, [{ version: POSTGRES_MIGRATIONS.length }]);
      const tables = await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`);
      assert.equal(Number(tables.rows[0]!.n), 7, 'six tables (bans included) and the version table');
    });
  } finally {
    await fresh.drop();
  }
});

test('PostgresStore: a database whose schema is newer than this Parlor is refused, not changed', async () => {
  const url = await freshSchema(db.url);
  await (await PostgresStore.open(url)).close();
  await withClient(url, (c) => c.query('UPDATE parlor_schema_version SET version = version + 1'));
  await assert.rejects(PostgresStore.open(url), /newer than this Parlor knows/);
});

test('PostgresStore: an unreachable database makes open reject (and leaves nothing running)', async () => {
  await assert.rejects(PostgresStore.open('postgres://postgres@127.0.0.1:1/none', { connectTimeoutMs: 2_000 }), /ECONNREFUSED|connect/);
});
