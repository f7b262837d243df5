/**
 * Fresh PostgreSQL databases for tests, on the machine's server (PARLOR_TEST_POSTGRES_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres: a superuser connection used only to
 * create and drop). Every call makes a new database with a random name, so parallel test runs
 * never meet; drop() removes it, closing whatever connections are still open to it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env.PARLOR_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface FreshDatabase {
  /** Connection URL of the new database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database (forcing its connections closed). Idempotent. */
  drop(): Promise<void>;
}

/** Runs statements on a short-lived connection to `url`. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  // Generous: a loaded 2-core CI machine has taken over 10 s to accept a connection.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 60_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `url` with its database name replaced. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function freshDatabase(adminUrl: string = ADMIN_URL): Promise<FreshDatabase> {
  const name = `parlor_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  let dropped: Promise<void> | undefined;
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop() {
      dropped ??= withClient(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
      return dropped;
    },
  };
}

/**
 * A new, empty schema in the database at `url`, and a URL whose connections use it (and only
 * it) as their search path: a cheap fresh store for each test of a suite sharing one database.
 */
export async function freshSchema(url: string): Promise<string> {
  const schema = `s_${randomBytes(6).toString('hex')}`;
  await withClient(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
