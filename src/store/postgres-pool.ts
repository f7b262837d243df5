/**
 * The PostgreSQL connection pool of a PostgresStore and its two ways of running SQL: one
 * statement (`query`) or one transaction (`transaction`). What a lost server does: idle
 * connections that fail are dropped and reported to `onIdleError` (never an unhandled 'error'
 * event); a call while the server is unreachable rejects once connecting fails, or after
 * `connectTimeoutMs` at most; a statement that gets no answer rejects after `queryTimeoutMs`
 * and its connection is discarded. The pool opens fresh connections on demand, so calls work
 * again as soon as the server is back; nothing needs resetting.
 */
import pg from 'pg';

export interface PostgresPoolOptions {
  /** Connections this process keeps at most. Default 10. */
  readonly maxConnections?: number;
  /** Longest wait for a connection (from the pool or a new one) before a call fails, ms. Default 5,000. */
  readonly connectTimeoutMs?: number;
  /** Longest wait for one statement's answer before the call fails, ms. Default 15,000. */
  readonly queryTimeoutMs?: number;
  /** Errors of idle connections (e.g. the server restarted); the pool has already dropped them. */
  readonly onIdleError?: (err: Error) => void;
}

/** Something that runs one statement: the pool, or the client of an open transaction. */
export interface Sql {
  query<R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
}

const INT8_OID = 20;

/**
 * BIGINT (epoch ms, counts) as a JS number: every value Parlor stores is below 2^53. Set per
 * pool rather than on pg's global type table, so nothing else in the process is affected.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** SQLSTATEs after which the whole transaction can simply run again. */
const RETRYABLE = new Set(['40001' /* serialization_failure */, '40P01' /* deadlock_detected */]);
const ATTEMPTS = 3;

/**
 * Whether an error means the connection (not the statement) failed: no SQLSTATE at all (socket
 * errors, timeouts), or class 08 (connection exception) / 57 (operator intervention, e.g. the
 * server shutting down).
 */
function connectionLost(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57');
}

export class PostgresPool implements Sql {
  readonly #pool: pg.Pool;
  /** A connection was lost since the last one opened. */
  #lost = false;
  #reconnects = 0;

  constructor(connectionString: string, options: PostgresPoolOptions = {}) {
    this.#pool = new pg.Pool({
      connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      query_timeout: options.queryTimeoutMs ?? 15_000,
      keepAlive: true,
      types: TYPES,
    });
    const onIdleError = options.onIdleError;
    this.#pool.on('error', (err) => {
      this.#lost = true;
      onIdleError?.(err);
    });
    this.#pool.on('connect', () => {
      if (!this.#lost) return;
      this.#lost = false;
      this.#reconnects++;
    });
  }

  /** How many times a connection opened after one had been lost (server restarts, network cuts). */
  get reconnects(): number {
    return this.#reconnects;
  }

  async query<R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(text, values as unknown[] | undefined);
    } catch (err) {
      if (connectionLost(err)) this.#lost = true;
      throw err;
    }
  }

  /**
   * Runs `work` in one transaction (READ COMMITTED) and commits what it wrote; a throw rolls
   * everything back. Runs it again, up to 3 times in all, after a deadlock or serialization
   * failure, so `work` must only touch the database.
   */
  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect().catch((err: unknown) => {
        this.#lost = true;
        throw err;
      });
      // A checked-out client has no listener of pg's own: without this, a connection lost
      // between two statements would be an unhandled 'error' event (a crash).
      const ignore = (): void => {};
      client.on('error', ignore);
      let healthy = true;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        // After a lost connection or a timeout, no ROLLBACK: it would wait behind the statement
        // still running (or on a dead socket); closing the connection rolls back server-side.
        healthy = !connectionLost(err) && (await client.query('ROLLBACK').then(() => true, () => false));
        if (!healthy) this.#lost = true;
        if (attempt < ATTEMPTS && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
        throw err;
      } finally {
        client.off('error', ignore);
        // A connection whose state is unknown is closed rather than reused.
        client.release(!healthy);
      }
    }
  }

  /** Closes every connection; later calls reject. Idempotent. */
  async end(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }
}
