/**
 * History in embedded mode: its own SQLite file beside the store's (so history writes never
 * wait on the store's lock), WAL journal with synchronous=NORMAL: a committed batch survives
 * the process being killed; a power loss may lose the last batches. Checkpoints run in a worker
 * thread (sqlite-checkpointer.ts), not in the commit that crosses SQLite's threshold.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HistoryOp, KeptEntry, MessageHistory } from './message-history.js';
import { CHECKPOINT_EVERY_MS, SqliteCheckpointer } from './sqlite-checkpointer.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS kept_messages (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    room_arn   TEXT NOT NULL,
    id         TEXT NOT NULL,
    send_time  INTEGER NOT NULL,
    frame      TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS kept_messages_by_room ON kept_messages (room_arn, seq);
  CREATE INDEX IF NOT EXISTS kept_messages_by_id ON kept_messages (room_arn, id);
`;

interface Row {
  seq: number;
  id: string;
  send_time: number;
  frame: string;
}

export class SqliteMessageHistory implements MessageHistory {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #remove: Database.Statement;
  readonly #trim: Database.Statement;
  readonly #forget: Database.Statement;
  readonly #newest: Database.Statement;
  readonly #newestBefore: Database.Statement;
  readonly #batch: (ops: readonly HistoryOp[]) => void;
  readonly #checkpointer: SqliteCheckpointer | undefined;

  /**
   * `checkpointEveryMs`: time between two checkpoints by the worker thread; 0 leaves them to
   * SQLite, inside the commit that crosses 1,000 WAL pages (the baseline of bench:history-writes).
   */
  constructor(file: string, checkpointEveryMs = CHECKPOINT_EVERY_MS) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
    if (file !== ':memory:' && checkpointEveryMs > 0) {
      this.#db.pragma('wal_autocheckpoint = 0');
      this.#checkpointer = new SqliteCheckpointer(file, () => {
        // Without the worker the WAL would grow for ever: SQLite checkpoints in commits again.
        if (this.#db.open) this.#db.pragma('wal_autocheckpoint = 1000');
      }, checkpointEveryMs);
    }
    this.#insert = this.#db.prepare('INSERT INTO kept_messages (room_arn, id, send_time, frame) VALUES (?, ?, ?, ?)');
    this.#remove = this.#db.prepare('DELETE FROM kept_messages WHERE room_arn = ? AND id = ?');
    // Everything at or below the seq of the (limit+1)-th newest row; nothing when there is none.
    this.#trim = this.#db.prepare(
      `DELETE FROM kept_messages WHERE room_arn = @room AND seq <= COALESCE(
         (SELECT seq FROM kept_messages WHERE room_arn = @room ORDER BY seq DESC LIMIT 1 OFFSET @limit), -1)`,
    );
    this.#forget = this.#db.prepare('DELETE FROM kept_messages WHERE room_arn = ?');
    this.#newest = this.#db.prepare('SELECT seq, id, send_time, frame FROM kept_messages WHERE room_arn = ? ORDER BY seq DESC LIMIT ?');
    this.#newestBefore = this.#db.prepare(
      'SELECT seq, id, send_time, frame FROM kept_messages WHERE room_arn = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    );
    this.#batch = this.#db.transaction((ops: readonly HistoryOp[]) => {
      // Trimming once per room at the end of the batch keeps the same rows as trimming after
      // every keep, since a batch only ever adds newer rows.
      const trims = new Map<string, number>();
      for (const op of ops) {
        switch (op.kind) {
          case 'keep':
            this.#insert.run(op.roomArn, op.message.id, op.message.sendTime, op.message.frame);
            trims.set(op.roomArn, op.limit);
            break;
          case 'remove':
            this.#remove.run(op.roomArn, op.messageId);
            break;
          case 'trim':
            this.#trim.run({ room: op.roomArn, limit: op.limit });
            trims.delete(op.roomArn);
            break;
          case 'forget':
            this.#forget.run(op.roomArn);
            trims.delete(op.roomArn);
            break;
        }
      }
      for (const [room, limit] of trims) this.#trim.run({ room, limit });
    });
  }

  async apply(ops: readonly HistoryOp[]): Promise<void> {
    if (ops.length > 0) this.#batch(ops);
  }

  async newest(roomArn: string, limit: number, beforeSeq?: number): Promise<KeptEntry[]> {
    const rows = (beforeSeq === undefined ? this.#newest.all(roomArn, limit) : this.#newestBefore.all(roomArn, beforeSeq, limit)) as Row[];
    return rows.map((r) => ({ seq: r.seq, id: r.id, sendTime: r.send_time, frame: r.frame }));
  }

  async close(): Promise<void> {
    this.#db.close();
    await this.#checkpointer?.close();
  }
}
