/** SqliteStore against the Store contract, plus what only a file-backed store promises. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations/sqlite.js';
import { loggingRecord, roomRecord, storeContract } from './store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'parlor-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeContract('SqliteStore', async () => {
  const file = join(dir, `contract-${++n}.db`);
  return { open: async () => new SqliteStore(file), dispose: async () => {} };
});

test('SqliteStore: a reopened file has the same state and schema version', async () => {
  const file = join(dir, 'nested', 'reopen.db');
  const scope = { accountId: '123456789012', region: 'us-east-1' };
  const first = new SqliteStore(file);
  const config = loggingRecord(scope, { tags: { t: '1' } });
  await first.createLoggingConfiguration(config, 10);
  const room = roomRecord(scope, { name: 'kept', loggingConfigurationIdentifiers: [config.arn] });
  await first.createRoom(room);
  await first.close();
  await first.close();

  const second = new SqliteStore(file);
  assert.deepEqual(await second.getRoom(room.arn), room);
  assert.deepEqual(await second.getLoggingConfiguration(config.arn), config);
  await second.close();

  const Database = (await import('better-sqlite3')).default;
  const raw = new Database(file, { readonly: true });
  assert.equal(raw.pragma('user_version', { simple: true }), SQLITE_MIGRATIONS.length);
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  raw.close();
});

test('SqliteStore: used chat token ids survive a reopen; two handles on one file agree on one winner', async () => {
  const file = join(dir, 'tokens.db');
  const first = new SqliteStore(file);
  assert.equal(await first.redeemChatToken('before-restart', 10_000), true);
  const queued = first.redeemChatToken('queued-at-close', 10_000); // still waiting for its batch
  await first.close();
  assert.equal(await queued, true, 'close commits the queued redeems first');

  const [a, b] = [new SqliteStore(file), new SqliteStore(file)];
  assert.equal(await a.redeemChatToken('before-restart', 10_000), false);
  assert.equal(await a.redeemChatToken('queued-at-close', 10_000), false);
  const outcomes = await Promise.all(
    Array.from({ length: 20 }, (_, i) => [a.redeemChatToken(`shared-${i}`, 10_000), b.redeemChatToken(`shared-${i}`, 10_000)]).flat(),
  );
  for (let i = 0; i < 20; i++) assert.equal(Number(outcomes[2 * i]) + Number(outcomes[2 * i + 1]), 1, `shared-${i}: one winner`);
  await a.close();
  await b.close();
});
