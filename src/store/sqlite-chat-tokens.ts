/**
 * The used-chat-token ledger of the SQLite store (table `used_chat_tokens`, migration 2).
 * A redeem is `INSERT … ON CONFLICT DO NOTHING`: the primary key decides the one winner (also
 * against other processes on the same file), and `changes` tells whether it was this call.
 *
 * Group commit. With synchronous=FULL every transaction is an fsync that blocks the event loop
 * (~0.3–1 ms on this disk); one per connection capped admissions near 400–900/s in
 * `npm run bench:connect`, and batching per event-loop turn does not help because libuv
 * accepts one connection per turn. So redeems are written together: the first redeem after a
 * quiet spell is written at the end of its turn; while writes are frequent, at most one
 * transaction per GROUP_COMMIT_MS holds everything queued meanwhile. Each promise settles only
 * after the commit holding it: as durable as one transaction per call, and the fsyncs take at
 * most ~1/GROUP_COMMIT_MS of the loop whatever the connect rate. Redeems of one id within a
 * batch run in call order, so the first call wins.
 */
import type Database from 'better-sqlite3';

/** Minimum spacing of redeem transactions under load, ms (the most a connect waits for it). */
const GROUP_COMMIT_MS = 5;

interface Pending {
  readonly tokenId: string;
  readonly expiresAt: number;
  readonly resolve: (won: boolean) => void;
  readonly reject: (err: unknown) => void;
}

export class SqliteChatTokens {
  readonly #insert: Database.Statement<[string, number]>;
  readonly #forget: Database.Statement<[number]>;
  readonly #writeBatch: (batch: readonly Pending[]) => boolean[];
  #pending: Pending[] = [];
  /** performance.now() of the last batch write. */
  #lastWrite = -Infinity;

  constructor(db: Database.Database) {
    this.#insert = db.prepare('INSERT INTO used_chat_tokens (token_id, expires_at) VALUES (?, ?) ON CONFLICT (token_id) DO NOTHING');
    this.#forget = db.prepare('DELETE FROM used_chat_tokens WHERE expires_at <= ?');
    this.#writeBatch = db.transaction((batch: readonly Pending[]) => batch.map((p) => this.#insert.run(p.tokenId, p.expiresAt).changes === 1));
  }

  /** True when this call marked the id; settles after the commit that holds it. */
  redeem(tokenId: string, expiresAt: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) {
        const wait = this.#lastWrite + GROUP_COMMIT_MS - performance.now();
        if (wait <= 0) setImmediate(this.flush);
        else setTimeout(this.flush, wait);
      }
      this.#pending.push({ tokenId, expiresAt, resolve, reject });
    });
  }

  /** Writes the queued redeems now (when due, and before the database closes). */
  readonly flush = (): void => {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    let won: boolean[];
    try {
      won = this.#writeBatch(batch);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    } finally {
      this.#lastWrite = performance.now();
    }
    batch.forEach((p, i) => p.resolve(won[i]!));
  };

  forgetExpired(now: number): number {
    return this.#forget.run(now).changes;
  }
}
