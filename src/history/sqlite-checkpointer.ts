/**
 * Checkpoints a WAL-mode SQLite file from a worker thread, so the copy of the WAL into the
 * database file and its fsync never run on the event loop (ADR 0042). The owner turns
 * SQLite's automatic checkpoint off on its own connection and starts one of these; if the
 * worker fails, `onFailure` runs once so the owner can turn the automatic checkpoint back on
 * (the WAL must not grow without bound).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Default time between two checkpoints, in ms. */
export const CHECKPOINT_EVERY_MS = 1000;

// CommonJS, run by the worker with `eval`: one connection, a PASSIVE checkpoint per tick
// (never waits for readers or writers), a TRUNCATE one at close.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(TRUNCATE)'); } finally { db.close(); parentPort.close(); }
});
`;

const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');

export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  constructor(file: string, onFailure: (err: Error) => void, everyMs = CHECKPOINT_EVERY_MS) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlite: sqliteModule, everyMs } });
    this.#worker.unref();
    let failed = false;
    this.#worker.on('error', (err) => {
      if (!failed) onFailure(err);
      failed = true;
    });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /** Checkpoints what is left (the owner has stopped writing) and ends the worker. */
  async close(): Promise<void> {
    this.#worker.ref(); // the process waits for the last checkpoint
    this.#worker.postMessage('close');
    await this.#exited;
  }
}
