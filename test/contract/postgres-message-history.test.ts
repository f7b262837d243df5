/** The history contract on PostgreSQL: one fresh schema per case (migrated by the store), in a database of this run's own. */
import { after, before } from 'node:test';
import { PostgresMessageHistory } from '../../src/history/postgres-message-history.js';
import { PostgresPool } from '../../src/store/postgres-pool.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { freshDatabase, freshSchema, type FreshDatabase } from '../helpers/postgres.js';
import { messageHistoryContract } from './message-history.contract.js';

let db: FreshDatabase;
before(async () => {
  db = await freshDatabase();
});
after(() => db.drop());

let url = '';
const pools: PostgresPool[] = [];
after(() => Promise.all(pools.map((p) => p.end())));

function historyAt(at: string): PostgresMessageHistory {
  const pool = new PostgresPool(at);
  pools.push(pool);
  return new PostgresMessageHistory(pool);
}

messageHistoryContract('PostgresMessageHistory', {
  async open() {
    url = await freshSchema(db.url);
    await (await PostgresStore.open(url)).close(); // the store's migrations create the table
    return historyAt(url);
  },
  async reopen() {
    return historyAt(url);
  },
});
