/** The history contract on SQLite (a temporary file per case, reopened for durability). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SqliteMessageHistory } from '../../src/history/sqlite-message-history.js';
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
