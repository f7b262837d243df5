/**
 * History in cluster mode: the `kept_messages` table of the cluster's PostgreSQL database
 * (created by the store's migrations, src/store/migrations/postgres.ts, so open the store
 * first), shared by every node. A batch is one transaction: what `apply` resolved is committed
 * on the server and survives a restart of any node (and of PostgreSQL, with its default
 * synchronous commit). A batch that fails (server unreachable) is lost and reported by the
 * writer; the messages themselves were delivered.
 */
import type { PostgresPool, Sql } from '../store/postgres-pool.js';
import type { HistoryOp, KeptEntry, MessageHistory } from './message-history.js';

interface Row {
  seq: number;
  id: string;
  send_time: number;
  frame: string;
}

/** Keeps only the room's newest `limit` (everything at or below the (limit+1)-th newest seq). */
const TRIM = `DELETE FROM kept_messages WHERE room_arn = $1 AND seq <= COALESCE(
  (SELECT seq FROM kept_messages WHERE room_arn = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1), -1)`;

export class PostgresMessageHistory implements MessageHistory {
  constructor(private readonly pool: PostgresPool) {}

  async apply(ops: readonly HistoryOp[]): Promise<void> {
    if (ops.length === 0) return;
    await this.pool.transaction(async (sql) => {
      const trims = new Map<string, number>();
      let keeps: (HistoryOp & { kind: 'keep' })[] = [];
      const insertKeeps = async (): Promise<void> => {
        if (keeps.length > 0) await insert(sql, keeps);
        keeps = [];
      };
      for (const op of ops) {
        if (op.kind === 'keep') {
          keeps.push(op);
          trims.set(op.roomArn, op.limit);
          continue;
        }
        await insertKeeps();
        switch (op.kind) {
          case 'remove':
            await sql.query('DELETE FROM kept_messages WHERE room_arn = $1 AND id = $2', [op.roomArn, op.messageId]);
            break;
          case 'trim':
            await sql.query(TRIM, [op.roomArn, op.limit]);
            trims.delete(op.roomArn);
            break;
          case 'forget':
            await sql.query('DELETE FROM kept_messages WHERE room_arn = $1', [op.roomArn]);
            trims.delete(op.roomArn);
            break;
        }
      }
      await insertKeeps();
      for (const [room, limit] of trims) await sql.query(TRIM, [room, limit]);
    });
  }

  async newest(roomArn: string, limit: number, beforeSeq?: number): Promise<KeptEntry[]> {
    const { rows } =
      beforeSeq === undefined
        ? await this.pool.query<Row>('SELECT seq, id, send_time, frame FROM kept_messages WHERE room_arn = $1 ORDER BY seq DESC LIMIT $2', [roomArn, limit])
        : await this.pool.query<Row>(
            'SELECT seq, id, send_time, frame FROM kept_messages WHERE room_arn = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
            [roomArn, beforeSeq, limit],
          );
    return rows.map((r) => ({ seq: r.seq, id: r.id, sendTime: r.send_time, frame: r.frame }));
  }

  /** The pool belongs to whoever made it (the composition root). */
  async close(): Promise<void> {}
}

/** Inserts consecutive keeps in one statement, in their order (seq follows the ordinality). */
async function insert(sql: Sql, keeps: readonly (HistoryOp & { kind: 'keep' })[]): Promise<void> {
  await sql.query(
    `INSERT INTO kept_messages (room_arn, id, send_time, frame)
     SELECT room_arn, id, send_time, frame
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) WITH ORDINALITY AS k(room_arn, id, send_time, frame, n)
     ORDER BY n`,
    [keeps.map((k) => k.roomArn), keeps.map((k) => k.message.id), keeps.map((k) => k.message.sendTime), keeps.map((k) => k.message.frame)],
  );
}
