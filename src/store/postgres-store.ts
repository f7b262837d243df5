/**
 * The cluster store: one PostgreSQL database shared by every node (`pg`, a pool per node).
 * Every change of more than one row is one transaction. Concurrency between nodes is settled
 * by the database, never by this process:
 * - updates lock the row they change (SELECT … FOR UPDATE) and compute `updateTime` in the
 *   UPDATE itself as GREATEST(now, update_time + 1), so it rises strictly per resource whatever
 *   the nodes' clocks say;
 * - a room write locks the logging configurations it lists FOR KEY SHARE and a logging
 *   configuration's delete locks it FOR UPDATE, so one of the two waits for the other and then
 *   sees its outcome (a room never lists a deleted configuration);
 * - the logging-configuration quota is counted under a per-scope transaction advisory lock;
 * - a chat-token redeem and a secret's creation are INSERT … ON CONFLICT DO NOTHING, decided
 *   by the primary key and committed (synchronous_commit) before the call resolves.
 * Failures (server unreachable, timeouts) reject the call; see postgres-pool.ts.
 */
import type { Scope } from '../domain/arn.js';
import type { Ban } from '../domain/ban.js';
import type { LoggingConfiguration, LoggingConfigurationPatch } from '../domain/logging-configuration.js';
import { nextReviewHandler, type Room, type RoomPatch } from '../domain/room.js';
import { mergeTags, removeTags } from '../domain/tags.js';
import { MIGRATION_LOCK_KEY, POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { PostgresPool, type PostgresPoolOptions, type Sql } from './postgres-pool.js';
import {
  toBan,
  type BanRow,
  LOGGING_INSERT_COLUMNS,
  loggingInsertValues,
  ROOM_INSERT_COLUMNS,
  roomInsertValues,
  tagTable,
  toLogging,
  toRoom,
  type LoggingRow,
  type RoomRow,
} from './rows.js';
import type {
  LoggingConfigurationCreate,
  LoggingConfigurationDelete,
  PageKey,
  RoomFilter,
  RoomWrite,
  Store,
  TagWrite,
} from './store.js';

export type PostgresStoreOptions = PostgresPoolOptions;

type RoomRowWithLogging = RoomRow & { logging: string[] };

const ROOM_COLUMNS = `r.*, ARRAY(SELECT l.logging_arn FROM room_logging l WHERE l.room_arn = r.arn ORDER BY l.position) AS logging`;

const roomOf = (row: RoomRowWithLogging): Room => toRoom(row, row.logging);

/** `$1, $2, … $n` */
const params = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

export class PostgresStore implements Store {
  readonly #pool: PostgresPool;

  private constructor(pool: PostgresPool) {
    this.#pool = pool;
  }

  /**
   * Connects and brings the schema up to date: the missing migrations run in one transaction
   * under an advisory lock, so several nodes starting at once apply each exactly once (the
   * others wait, then find nothing to do). Rejects (and closes the pool) when the database is
   * unreachable or a migration fails.
   */
  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new PostgresPool(connectionString, options);
    try {
      await pool.transaction(async (sql) => {
        await sql.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
        await sql.query('CREATE TABLE IF NOT EXISTS parlor_schema_version (version INTEGER NOT NULL)');
        const { rows } = await sql.query<{ version: number }>('SELECT version FROM parlor_schema_version');
        const version = rows[0]?.version ?? 0;
        if (version > POSTGRES_MIGRATIONS.length) {
          throw new Error(`the database's Parlor schema is version ${version}, newer than this Parlor knows (${POSTGRES_MIGRATIONS.length}); upgrade Parlor`);
        }
        for (let v = version; v < POSTGRES_MIGRATIONS.length; v++) await sql.query(POSTGRES_MIGRATIONS[v]!);
        if (rows.length === 0) await sql.query('INSERT INTO parlor_schema_version (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length]);
        else await sql.query('UPDATE parlor_schema_version SET version = $1', [POSTGRES_MIGRATIONS.length]);
      });
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }

  /** ARNs among `arns` that name no logging configuration; locks the others until commit. */
  async #missingLogging(sql: Sql, arns: readonly string[]): Promise<string[]> {
    if (arns.length === 0) return [];
    const { rows } = await sql.query<{ arn: string }>(
      'SELECT arn FROM logging_configurations WHERE arn = ANY($1) ORDER BY arn FOR KEY SHARE',
      [[...new Set(arns)]],
    );
    const present = new Set(rows.map((r) => r.arn));
    return arns.filter((a) => !present.has(a));
  }

  async #setLogging(sql: Sql, roomArn: string, arns: readonly string[]): Promise<void> {
    await sql.query('DELETE FROM room_logging WHERE room_arn = $1', [roomArn]);
    if (arns.length === 0) return;
    await sql.query(
      `INSERT INTO room_logging (room_arn, position, logging_arn)
       SELECT $1, t.ord - 1, t.arn FROM unnest($2::text[]) WITH ORDINALITY AS t(arn, ord)`,
      [roomArn, arns],
    );
  }

  async #readRoom(sql: Sql, arn: string, lock = false): Promise<Room | undefined> {
    const { rows } = await sql.query<RoomRowWithLogging>(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.arn = $1${lock ? ' FOR UPDATE' : ''}`, [arn]);
    return rows[0] && roomOf(rows[0]);
  }

  async createRoom(room: Room): Promise<RoomWrite> {
    return this.#pool.transaction(async (sql): Promise<RoomWrite> => {
      const missing = await this.#missingLogging(sql, room.loggingConfigurationIdentifiers);
      if (missing.length > 0) return { kind: 'missing-logging-configurations', arns: missing };
      await sql.query(`INSERT INTO rooms (${ROOM_INSERT_COLUMNS}) VALUES (${params(12)})`, roomInsertValues(room));
      await this.#setLogging(sql, room.arn, room.loggingConfigurationIdentifiers);
      return { kind: 'ok', room: (await this.#readRoom(sql, room.arn))! };
    });
  }

  async getRoom(arn: string): Promise<Room | undefined> {
    return this.#readRoom(this.#pool, arn);
  }

  async updateRoom(arn: string, patch: RoomPatch, now: number): Promise<RoomWrite> {
    return this.#pool.transaction(async (sql): Promise<RoomWrite> => {
      const current = await this.#readRoom(sql, arn, true);
      if (!current) return { kind: 'not-found' };
      if (patch.loggingConfigurationIdentifiers) {
        const missing = await this.#missingLogging(sql, patch.loggingConfigurationIdentifiers);
        if (missing.length > 0) return { kind: 'missing-logging-configurations', arns: missing };
        await this.#setLogging(sql, arn, patch.loggingConfigurationIdentifiers);
      }
      const handler = patch.messageReviewHandler ? nextReviewHandler(current.messageReviewHandler, patch.messageReviewHandler) : current.messageReviewHandler;
      await sql.query(
        `UPDATE rooms SET name = $1, max_rate = $2, max_length = $3, review_uri = $4, review_fallback = $5,
                update_time = GREATEST($6::bigint, update_time + 1) WHERE arn = $7`,
        [
          patch.name ?? current.name,
          patch.maximumMessageRatePerSecond ?? current.maximumMessageRatePerSecond,
          patch.maximumMessageLength ?? current.maximumMessageLength,
          handler?.uri ?? null,
          handler?.fallbackResult ?? null,
          now,
          arn,
        ],
      );
      return { kind: 'ok', room: (await this.#readRoom(sql, arn))! };
    });
  }

  async deleteRoom(arn: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM rooms WHERE arn = $1', [arn]);
    return (rowCount ?? 0) > 0;
  }

  async listRooms(scope: Scope, filter: RoomFilter, after: PageKey | undefined, limit: number): Promise<Room[]> {
    const values: unknown[] = [scope.accountId, scope.region];
    const where = ['r.account_id = $1', 'r.region = $2'];
    const add = (clause: (p: string) => string, value: unknown): void => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (filter.name !== undefined) add((p) => `r.name = ${p}`, filter.name);
    if (filter.messageReviewHandlerUri !== undefined) add((p) => `r.review_uri = ${p}`, filter.messageReviewHandlerUri);
    if (filter.loggingConfigurationIdentifier !== undefined) {
      add((p) => `EXISTS (SELECT 1 FROM room_logging l WHERE l.room_arn = r.arn AND l.logging_arn = ${p})`, filter.loggingConfigurationIdentifier);
    }
    if (after) {
      values.push(after.updateTime, after.arn);
      where.push(`(r.update_time, r.arn) < ($${values.length - 1}::bigint, $${values.length})`);
    }
    values.push(limit);
    const { rows } = await this.#pool.query<RoomRowWithLogging>(
      `SELECT ${ROOM_COLUMNS} FROM rooms r WHERE ${where.join(' AND ')} ORDER BY r.update_time DESC, r.arn DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(roomOf);
  }

  async createLoggingConfiguration(config: LoggingConfiguration, quota: number): Promise<LoggingConfigurationCreate> {
    return this.#pool.transaction(async (sql): Promise<LoggingConfigurationCreate> => {
      // Creations in one scope queue here, so two nodes cannot both see room under the quota.
      await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended('parlor:logging-quota:' || $1 || ':' || $2, 0))`, [config.accountId, config.region]);
      const { rows } = await sql.query<{ n: number }>('SELECT COUNT(*) AS n FROM logging_configurations WHERE account_id = $1 AND region = $2', [
        config.accountId,
        config.region,
      ]);
      if (rows[0]!.n >= quota) return { kind: 'quota-exceeded', limit: quota };
      await sql.query(`INSERT INTO logging_configurations (${LOGGING_INSERT_COLUMNS}) VALUES (${params(10)})`, loggingInsertValues(config));
      return { kind: 'ok' };
    });
  }

  async #readLogging(sql: Sql, arn: string, lock = false): Promise<LoggingConfiguration | undefined> {
    const { rows } = await sql.query<LoggingRow>(`SELECT * FROM logging_configurations WHERE arn = $1${lock ? ' FOR UPDATE' : ''}`, [arn]);
    return rows[0] && toLogging(rows[0]);
  }

  async getLoggingConfiguration(arn: string): Promise<LoggingConfiguration | undefined> {
    return this.#readLogging(this.#pool, arn);
  }

  async updateLoggingConfiguration(arn: string, patch: LoggingConfigurationPatch, now: number): Promise<LoggingConfiguration | undefined> {
    return this.#pool.transaction(async (sql) => {
      const current = await this.#readLogging(sql, arn, true);
      if (!current) return undefined;
      const { rows } = await sql.query<LoggingRow>(
        'UPDATE logging_configurations SET name = $1, destination = $2, update_time = GREATEST($3::bigint, update_time + 1) WHERE arn = $4 RETURNING *',
        [patch.name ?? current.name, JSON.stringify(patch.destinationConfiguration ?? current.destinationConfiguration), now, arn],
      );
      return toLogging(rows[0]!);
    });
  }

  async deleteLoggingConfiguration(arn: string): Promise<LoggingConfigurationDelete> {
    return this.#pool.transaction(async (sql): Promise<LoggingConfigurationDelete> => {
      // Locked first: a room write listing it waits for this transaction, or this waits for
      // that one and then sees its reference below.
      const { rowCount } = await sql.query('SELECT 1 FROM logging_configurations WHERE arn = $1 FOR UPDATE', [arn]);
      if (!rowCount) return { kind: 'not-found' };
      const users = await sql.query<{ room_arn: string }>('SELECT room_arn FROM room_logging WHERE logging_arn = $1 ORDER BY room_arn', [arn]);
      if (users.rows.length > 0) return { kind: 'in-use', roomArns: users.rows.map((u) => u.room_arn) };
      await sql.query('DELETE FROM logging_configurations WHERE arn = $1', [arn]);
      return { kind: 'ok' };
    });
  }

  async listLoggingConfigurations(scope: Scope, after: PageKey | undefined, limit: number): Promise<LoggingConfiguration[]> {
    const values: unknown[] = [scope.accountId, scope.region, limit];
    if (after) values.push(after.updateTime, after.arn);
    const { rows } = await this.#pool.query<LoggingRow>(
      `SELECT * FROM logging_configurations WHERE account_id = $1 AND region = $2
       ${after ? 'AND (update_time, arn) < ($4::bigint, $5)' : ''}
       ORDER BY update_time DESC, arn DESC LIMIT $3`,
      values,
    );
    return rows.map(toLogging);
  }

  async getTags(arn: string): Promise<Readonly<Record<string, string>> | undefined> {
    const table = tagTable(arn);
    if (!table) return undefined;
    const { rows } = await this.#pool.query<{ tags: string }>(`SELECT tags FROM ${table} WHERE arn = $1`, [arn]);
    return rows[0] && (JSON.parse(rows[0].tags) as Record<string, string>);
  }

  async #writeTags(arn: string, change: (tags: Record<string, string>) => Record<string, string>, limit: number): Promise<TagWrite> {
    const table = tagTable(arn);
    if (!table) return { kind: 'not-found' };
    return this.#pool.transaction(async (sql): Promise<TagWrite> => {
      const { rows } = await sql.query<{ tags: string }>(`SELECT tags FROM ${table} WHERE arn = $1 FOR UPDATE`, [arn]);
      if (!rows[0]) return { kind: 'not-found' };
      const next = change(JSON.parse(rows[0].tags) as Record<string, string>);
      if (Object.keys(next).length > limit) return { kind: 'too-many', limit };
      await sql.query(`UPDATE ${table} SET tags = $1 WHERE arn = $2`, [JSON.stringify(next), arn]);
      return { kind: 'ok', tags: next };
    });
  }

  async tagResource(arn: string, tags: Readonly<Record<string, string>>, limit: number): Promise<TagWrite> {
    return this.#writeTags(arn, (current) => mergeTags(current, tags), limit);
  }

  async untagResource(arn: string, keys: readonly string[]): Promise<TagWrite> {
    return this.#writeTags(arn, (current) => removeTags(current, keys), Number.MAX_SAFE_INTEGER);
  }

  async redeemChatToken(tokenId: string, expiresAt: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query('INSERT INTO used_chat_tokens (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id) DO NOTHING', [
      tokenId,
      expiresAt,
    ]);
    return rowCount === 1;
  }

  async forgetExpiredChatTokens(now: number): Promise<number> {
    const { rowCount } = await this.#pool.query('DELETE FROM used_chat_tokens WHERE expires_at <= $1', [now]);
    return rowCount ?? 0;
  }

  async loadOrCreateSecret(name: string, candidate: Uint8Array): Promise<Buffer> {
    await this.#pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, Buffer.from(candidate)]);
    // A separate statement: it sees the row whichever node's insert won (READ COMMITTED).
    const { rows } = await this.#pool.query<{ value: Buffer }>('SELECT value FROM secrets WHERE name = $1', [name]);
    return rows[0]!.value;
  }

  /** The insert finds its room under the row's foreign key: a room deleted meanwhile fails it (false). */
  async putBan(ban: Ban): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `INSERT INTO bans (room_arn, user_id, reason, create_time, expire_time)
       SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM rooms WHERE arn = $1 FOR KEY SHARE)
       ON CONFLICT (room_arn, user_id) DO UPDATE SET reason = EXCLUDED.reason, create_time = EXCLUDED.create_time, expire_time = EXCLUDED.expire_time`,
      [ban.roomArn, ban.userId, ban.reason ?? null, ban.createTime, ban.expireTime ?? null],
    );
    return rowCount === 1;
  }

  async deleteBan(roomArn: string, userId: string): Promise<void> {
    await this.#pool.query('DELETE FROM bans WHERE room_arn = $1 AND user_id = $2', [roomArn, userId]);
  }

  async getBan(roomArn: string, userId: string, now: number): Promise<Ban | undefined> {
    const { rows } = await this.#pool.query<BanRow>(
      'SELECT * FROM bans WHERE room_arn = $1 AND user_id = $2 AND (expire_time IS NULL OR expire_time > $3)',
      [roomArn, userId, now],
    );
    return rows[0] && toBan(rows[0]);
  }

  async listBans(roomArn: string, now: number, afterUserId: string | undefined, limit: number): Promise<Ban[]> {
    const { rows } = await this.#pool.query<BanRow>(
      `SELECT * FROM bans WHERE room_arn = $1 AND (expire_time IS NULL OR expire_time > $2)
       AND ($3::text IS NULL OR user_id > $3::text COLLATE "C") ORDER BY user_id LIMIT $4`,
      [roomArn, now, afterUserId ?? null, limit],
    );
    return rows.map(toBan);
  }

  async forgetExpiredBans(now: number): Promise<number> {
    const { rowCount } = await this.#pool.query('DELETE FROM bans WHERE expire_time IS NOT NULL AND expire_time <= $1', [now]);
    return rowCount ?? 0;
  }

  /** One round trip to the server (for readiness checks); rejects when it cannot answer. */
  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  /** How many times this store reconnected after losing its connection to the server. */
  reconnects(): number {
    return this.#pool.reconnects;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
