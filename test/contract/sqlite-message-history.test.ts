/** The history contract on SQLite (a temporary file per case, reopened for durability), and its checkpoints. */
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { HistoryOp } from '../../src/history/message-history.js';
import { SqliteMessageHistory } from '../../src/history/sqlite-message-history.js';
import { waitFor } from '../helpers/chat.js';
import { messageHistoryContract } from './message-history.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'parlor-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let current = '';

messageHistoryContract('SqliteMessageHistory', {
  async open() {
    current = join(dir, `history-${++n}.db`);
    return new SqliteMessageHistory(current);
  },
  async reopen() {
    return new SqliteMessageHistory(current);
  },
});

/** The rows that the database file holds on its own, without its WAL (a copy of just that file). */
function rowsInDatabaseFile(file: string): number {
  const copy = join(dir, `copy-${++n}.db`);
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'kept_messages'").get() === undefined) return 0;
    return (db.prepare('SELECT COUNT(*) AS n FROM kept_messages').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const keep = (i: number): HistoryOp => ({ kind: 'keep', roomArn: 'room', message: { id: `m${i}`, sendTime: i, frame: `{"Id":"m${i}"}` }, limit: 100 });

test('the worker thread checkpoints: kept messages reach the database file within an interval, far below SQLite\'s 1,000-page threshold', async () => {
  const file = join(dir, `checkpointed-${++n}.db`);
  const history = new SqliteMessageHistory(file, 50);
  try {
    await history.apply([keep(1), keep(2), keep(3)]);
    await waitFor('the checkpoint', () => (rowsInDatabaseFile(file) === 3 ? true : undefined), 5000);
  } finally {
    await history.close();
  }
});

test('with checkpoints left to SQLite (interval 0), a few messages stay in the WAL: the test above can fail', async () => {
  const file = join(dir, `sqlite-checkpoint-${++n}.db`);
  const history = new SqliteMessageHistory(file, 0);
  try {
    await history.apply([keep(1), keep(2), keep(3)]);
    await delay(300);
    assert.equal(rowsInDatabaseFile(file), 0);
  } finally {
    await history.close();
  }
});

test('close checkpoints what is left and removes the WAL; the file reopens with every message', async () => {
  const file = join(dir, `closed-${++n}.db`);
  const history = new SqliteMessageHistory(file, 60_000);
  await history.apply([keep(1), keep(2)]);
  await history.close();
  assert.equal(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0, 0);
  assert.equal(rowsInDatabaseFile(file), 2);
});
