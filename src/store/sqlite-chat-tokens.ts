/**
 * The used-chat-token ledger of the SQLite store (table `used_chat_tokens`, migration 2).
 * A redeem is `INSERT … ON CONFLICT DO NOTHING`: the primary key decides the one winner, and
 * `changes` tells the caller whether it was this call.
 */
import type Database from 'better-sqlite3';

export class SqliteChatTokens {
  readonly #insert: Database.Statement<[string, number]>;
  readonly #forget: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare('INSERT INTO used_chat_tokens (token_id, expires_at) VALUES (?, ?) ON CONFLICT (token_id) DO NOTHING');
    this.#forget = db.prepare('DELETE FROM used_chat_tokens WHERE expires_at <= ?');
  }

  /** True when this call marked the id (one committed transaction). */
  redeem(tokenId: string, expiresAt: number): boolean {
    return this.#insert.run(tokenId, expiresAt).changes === 1;
  }

  forgetExpired(now: number): number {
    return this.#forget.run(now).changes;
  }
}
