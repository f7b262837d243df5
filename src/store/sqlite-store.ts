/**
 * The embedded store: one SQLite file (better-sqlite3) in the data directory, WAL journal and
 * synchronous=FULL so that a committed write survives kill -9 and power loss of the process.
 * Calls are synchronous underneath; the async port keeps callers ready for network stores.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Scope } from '../domain/arn.js';
import type { Ban } from '../domain/ban.js';
import type { LoggingConfiguration, LoggingConfigurationPatch } from '../domain/logging-configuration.js';
import { nextReviewHandler, type Room, type RoomPatch } from '../domain/room.js';
import { mergeTags, removeTags } from '../domain/tags.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
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
import { SqliteChatTokens } from './sqlite-chat-tokens.js';
import type {
  LoggingConfigurationCreate,
  LoggingConfigurationDelete,
  PageKey,
  RoomFilter,
  RoomWrite,
  Store,
  TagWrite,
} from './store.js';

/** A room row with its logging-configuration ARNs as a JSON array (null when none). */
type RoomRowWithLogging = RoomRow & { logging: string | null };

const ROOM_COLUMNS = `r.*, (SELECT json_group_array(logging_arn) FROM (SELECT logging_arn FROM room_logging WHERE room_arn = r.arn ORDER BY position)) AS logging`;

function roomOf(row: RoomRowWithLogging): Room {
  return toRoom(row, row.logging ? (JSON.parse(row.logging) as string[]) : []);
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.chatTokens = new SqliteChatTokens(this.db);
  }

  private readonly chatTokens: SqliteChatTokens;

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement, compiled once per distinct SQL text. */
  private sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < SQLITE_MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(SQLITE_MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private missingLogging(arns: readonly string[]): string[] {
    const stmt = this.sql('SELECT 1 FROM logging_configurations WHERE arn = ?');
    return arns.filter((a) => stmt.get(a) === undefined);
  }

  private setLogging(roomArn: string, arns: readonly string[]): void {
    this.sql('DELETE FROM room_logging WHERE room_arn = ?').run(roomArn);
    const insert = this.sql('INSERT INTO room_logging (room_arn, position, logging_arn) VALUES (?, ?, ?)');
    arns.forEach((a, i) => insert.run(roomArn, i, a));
  }

  private readRoom(arn: string): Room | undefined {
    const row = this.sql(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.arn = ?`).get(arn) as RoomRowWithLogging | undefined;
    return row && roomOf(row);
  }

  async createRoom(room: Room): Promise<RoomWrite> {
    return this.db.transaction((): RoomWrite => {
      const missing = this.missingLogging(room.loggingConfigurationIdentifiers);
      if (missing.length > 0) return { kind: 'missing-logging-configurations', arns: missing };
      this.sql(`INSERT INTO rooms (${ROOM_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...roomInsertValues(room));
      this.setLogging(room.arn, room.loggingConfigurationIdentifiers);
      return { kind: 'ok', room: this.readRoom(room.arn)! };
    })();
  }

  async getRoom(arn: string): Promise<Room | undefined> {
    return this.readRoom(arn);
  }

  async updateRoom(arn: string, patch: RoomPatch, now: number): Promise<RoomWrite> {
    return this.db.transaction((): RoomWrite => {
      const current = this.readRoom(arn);
      if (!current) return { kind: 'not-found' };
      if (patch.loggingConfigurationIdentifiers) {
        const missing = this.missingLogging(patch.loggingConfigurationIdentifiers);
        if (missing.length > 0) return { kind: 'missing-logging-configurations', arns: missing };
        this.setLogging(arn, patch.loggingConfigurationIdentifiers);
      }
      const handler = patch.messageReviewHandler ? nextReviewHandler(current.messageReviewHandler, patch.messageReviewHandler) : current.messageReviewHandler;
      this.sql(
          `UPDATE rooms SET name = ?, max_rate = ?, max_length = ?, review_uri = ?, review_fallback = ?, update_time = ? WHERE arn = ?`,
        )
        .run(
          patch.name ?? current.name,
          patch.maximumMessageRatePerSecond ?? current.maximumMessageRatePerSecond,
          patch.maximumMessageLength ?? current.maximumMessageLength,
          handler?.uri ?? null,
          handler?.fallbackResult ?? null,
          Math.max(now, current.updateTime + 1),
          arn,
        );
      return { kind: 'ok', room: this.readRoom(arn)! };
    })();
  }

  async deleteRoom(arn: string): Promise<boolean> {
    return this.sql('DELETE FROM rooms WHERE arn = ?').run(arn).changes > 0;
  }

  async listRooms(scope: Scope, filter: RoomFilter, after: PageKey | undefined, limit: number): Promise<Room[]> {
    const where = ['r.account_id = @accountId', 'r.region = @region'];
    if (filter.name !== undefined) where.push('r.name = @name');
    if (filter.messageReviewHandlerUri !== undefined) where.push('r.review_uri = @reviewUri');
    if (filter.loggingConfigurationIdentifier !== undefined) {
      where.push('EXISTS (SELECT 1 FROM room_logging l WHERE l.room_arn = r.arn AND l.logging_arn = @loggingArn)');
    }
    if (after) where.push('(r.update_time < @afterTime OR (r.update_time = @afterTime AND r.arn < @afterArn))');
    const rows = this.sql(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE ${where.join(' AND ')} ORDER BY r.update_time DESC, r.arn DESC LIMIT @limit`)
      .all({
        accountId: scope.accountId,
        region: scope.region,
        name: filter.name,
        reviewUri: filter.messageReviewHandlerUri,
        loggingArn: filter.loggingConfigurationIdentifier,
        afterTime: after?.updateTime,
        afterArn: after?.arn,
        limit,
      }) as RoomRowWithLogging[];
    return rows.map(roomOf);
  }

  async createLoggingConfiguration(config: LoggingConfiguration, quota: number): Promise<LoggingConfigurationCreate> {
    return this.db.transaction((): LoggingConfigurationCreate => {
      const { n } = this.sql('SELECT COUNT(*) AS n FROM logging_configurations WHERE account_id = ? AND region = ?')
        .get(config.accountId, config.region) as { n: number };
      if (n >= quota) return { kind: 'quota-exceeded', limit: quota };
      this.sql(`INSERT INTO logging_configurations (${LOGGING_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...loggingInsertValues(config));
      return { kind: 'ok' };
    })();
  }

  private readLogging(arn: string): LoggingConfiguration | undefined {
    const row = this.sql('SELECT * FROM logging_configurations WHERE arn = ?').get(arn) as LoggingRow | undefined;
    return row && toLogging(row);
  }

  async getLoggingConfiguration(arn: string): Promise<LoggingConfiguration | undefined> {
    return this.readLogging(arn);
  }

  async updateLoggingConfiguration(arn: string, patch: LoggingConfigurationPatch, now: number): Promise<LoggingConfiguration | undefined> {
    return this.db.transaction((): LoggingConfiguration | undefined => {
      const current = this.readLogging(arn);
      if (!current) return undefined;
      this.sql('UPDATE logging_configurations SET name = ?, destination = ?, update_time = ? WHERE arn = ?')
        .run(
          patch.name ?? current.name,
          JSON.stringify(patch.destinationConfiguration ?? current.destinationConfiguration),
          Math.max(now, current.updateTime + 1),
          arn,
        );
      return this.readLogging(arn);
    })();
  }

  async deleteLoggingConfiguration(arn: string): Promise<LoggingConfigurationDelete> {
    return this.db.transaction((): LoggingConfigurationDelete => {
      const users = this.sql('SELECT room_arn FROM room_logging WHERE logging_arn = ? ORDER BY room_arn').all(arn) as {
        room_arn: string;
      }[];
      if (users.length > 0) return { kind: 'in-use', roomArns: users.map((u) => u.room_arn) };
      const { changes } = this.sql('DELETE FROM logging_configurations WHERE arn = ?').run(arn);
      return changes > 0 ? { kind: 'ok' } : { kind: 'not-found' };
    })();
  }

  async listLoggingConfigurations(scope: Scope, after: PageKey | undefined, limit: number): Promise<LoggingConfiguration[]> {
    const rows = this.sql(
        `SELECT * FROM logging_configurations WHERE account_id = @accountId AND region = @region
         ${after ? 'AND (update_time < @afterTime OR (update_time = @afterTime AND arn < @afterArn))' : ''}
         ORDER BY update_time DESC, arn DESC LIMIT @limit`,
      )
      .all({ accountId: scope.accountId, region: scope.region, afterTime: after?.updateTime, afterArn: after?.arn, limit }) as LoggingRow[];
    return rows.map(toLogging);
  }

  private readTags(table: string, arn: string): Record<string, string> | undefined {
    const row = this.sql(`SELECT tags FROM ${table} WHERE arn = ?`).get(arn) as { tags: string } | undefined;
    return row && (JSON.parse(row.tags) as Record<string, string>);
  }

  async getTags(arn: string): Promise<Readonly<Record<string, string>> | undefined> {
    const table = tagTable(arn);
    return table && this.readTags(table, arn);
  }

  private writeTags(arn: string, change: (tags: Record<string, string>) => Record<string, string>, limit: number): TagWrite {
    const table = tagTable(arn);
    if (!table) return { kind: 'not-found' };
    return this.db.transaction((): TagWrite => {
      const current = this.readTags(table, arn);
      if (!current) return { kind: 'not-found' };
      const next = change(current);
      if (Object.keys(next).length > limit) return { kind: 'too-many', limit };
      this.sql(`UPDATE ${table} SET tags = ? WHERE arn = ?`).run(JSON.stringify(next), arn);
      return { kind: 'ok', tags: next };
    })();
  }

  async tagResource(arn: string, tags: Readonly<Record<string, string>>, limit: number): Promise<TagWrite> {
    return this.writeTags(arn, (current) => mergeTags(current, tags), limit);
  }

  async untagResource(arn: string, keys: readonly string[]): Promise<TagWrite> {
    return this.writeTags(arn, (current) => removeTags(current, keys), Number.MAX_SAFE_INTEGER);
  }

  async redeemChatToken(tokenId: string, expiresAt: number): Promise<boolean> {
    return this.chatTokens.redeem(tokenId, expiresAt);
  }

  async forgetExpiredChatTokens(now: number): Promise<number> {
    return this.chatTokens.forgetExpired(now);
  }

  async putBan(ban: Ban): Promise<boolean> {
    return this.db.transaction((): boolean => {
      if (this.sql('SELECT 1 FROM rooms WHERE arn = ?').get(ban.roomArn) === undefined) return false;
      this.sql('INSERT OR REPLACE INTO bans (room_arn, user_id, reason, create_time, expire_time) VALUES (?, ?, ?, ?, ?)')
        .run(ban.roomArn, ban.userId, ban.reason ?? null, ban.createTime, ban.expireTime ?? null);
      return true;
    })();
  }

  async deleteBan(roomArn: string, userId: string): Promise<void> {
    this.sql('DELETE FROM bans WHERE room_arn = ? AND user_id = ?').run(roomArn, userId);
  }

  async getBan(roomArn: string, userId: string, now: number): Promise<Ban | undefined> {
    const row = this.sql('SELECT * FROM bans WHERE room_arn = ? AND user_id = ? AND (expire_time IS NULL OR expire_time > ?)')
      .get(roomArn, userId, now) as BanRow | undefined;
    return row && toBan(row);
  }

  async listBans(roomArn: string, now: number, afterUserId: string | undefined, limit: number): Promise<Ban[]> {
    const rows = this.sql(
        `SELECT * FROM bans WHERE room_arn = @roomArn AND (expire_time IS NULL OR expire_time > @now)
         AND (@after IS NULL OR user_id > @after) ORDER BY user_id LIMIT @limit`,
      )
      .all({ roomArn, now, after: afterUserId ?? null, limit }) as BanRow[];
    return rows.map(toBan);
  }

  async forgetExpiredBans(now: number): Promise<number> {
    return this.sql('DELETE FROM bans WHERE expire_time IS NOT NULL AND expire_time <= ?').run(now).changes;
  }

  async loadOrCreateSecret(name: string, candidate: Uint8Array): Promise<Buffer> {
    return this.db.transaction((): Buffer => {
      this.sql('INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, Buffer.from(candidate));
      return (this.sql('SELECT value FROM secrets WHERE name = ?').get(name) as { value: Buffer }).value;
    })();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.chatTokens.flush();
    this.db.close();
  }
}
