/**
 * PostgresStore when its server goes away and comes back (a private PostgreSQL, stopped and
 * started by the test): calls reject promptly while it is down — never hang, never crash the
 * process — and the same store works again once it is back, with the data it had.
 * Bounds: a call waits at most `connectTimeoutMs` for a connection (2 s here; 5 s by default)
 * and `queryTimeoutMs` for a statement's answer (1 s in the last test; 15 s by default).
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { freshDatabase } from '../helpers/postgres.js';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { loggingRecord, roomRecord } from './store.contract.js';

const available = privatePostgresAvailable();
if (!available) console.warn('SKIPPED postgres-store-faults: initdb/pg_ctl are not on the PATH, so no private PostgreSQL can be started');

const CONNECT_TIMEOUT_MS = 2_000;
/** A generous ceiling for "promptly" on a loaded machine: the bound plus slack. */
const PROMPT_MS = CONNECT_TIMEOUT_MS + 8_000;

let pg: PrivatePostgres;
before(async () => {
  if (available) pg = await startPrivatePostgres();
});
after(() => pg?.cleanup());

const scope = { accountId: '123456789012', region: 'us-east-1' };

async function rejectsPromptly(what: string, call: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await assert.rejects(call(), (err: Error) => err instanceof Error, `${what} rejects while PostgreSQL is down`);
  const took = performance.now() - started;
  assert.ok(took < PROMPT_MS, `${what} took ${Math.round(took)} ms to fail`);
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('PostgreSQL stopped: every kind of call rejects promptly; started again: the same store works, data intact', { skip: !available }, async () => {
  const idleErrors: Error[] = [];
  const store = await PostgresStore.open(pg.url, { connectTimeoutMs: CONNECT_TIMEOUT_MS, onIdleError: (e) => idleErrors.push(e) });
  try {
    const config = loggingRecord(scope);
    assert.deepEqual(await store.createLoggingConfiguration(config, 10), { kind: 'ok' });
    const room = roomRecord(scope, { loggingConfigurationIdentifiers: [config.arn] });
    assert.equal((await store.createRoom(room)).kind, 'ok');
    // Several connections open and idle in the pool when the server goes.
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.redeemChatToken(`before-${i}`, 9e12)));

    await store.ping();
    assert.equal(store.reconnects(), 0);

    await pg.stop();
    await until(() => idleErrors.length > 0, 'the pool to report its lost idle connections');
    await rejectsPromptly('ping', () => store.ping());
    await rejectsPromptly('getRoom', () => store.getRoom(room.arn));
    await rejectsPromptly('listRooms', () => store.listRooms(scope, {}, undefined, 10));
    await rejectsPromptly('updateRoom (a transaction)', () => store.updateRoom(room.arn, { name: 'during' }, 5_000));
    await rejectsPromptly('redeemChatToken', () => store.redeemChatToken('during', 9e12));
    await rejectsPromptly('loadOrCreateSecret', () => store.loadOrCreateSecret('s', Buffer.alloc(32)));

    await pg.start();
    assert.deepEqual(await store.getRoom(room.arn), room, 'the first call after the restart succeeds, on the same pool');
    await store.ping();
    assert.equal(store.reconnects(), 1, 'one outage, one reconnection');
    const updated = await store.updateRoom(room.arn, { name: 'after' }, 5_000);
    assert.equal(updated.kind === 'ok' && updated.room.name, 'after');
    assert.equal(await store.redeemChatToken('before-0', 9e12), false, 'redeems before the outage are remembered');
    assert.equal(await store.redeemChatToken('during', 9e12), true, 'the refused redeem wrote nothing');
    // Many calls at once after the outage: the pool is not stuck with dead connections.
    const many = await Promise.all(Array.from({ length: 30 }, () => store.getRoom(room.arn)));
    assert.ok(many.every((r) => r?.name === 'after'));
  } finally {
    await store.close();
  }
});

test('updates running while the server restarts each settle (ok or rejected, none hangs), then succeed again', { skip: !available }, async () => {
  const store = await PostgresStore.open(pg.url, { connectTimeoutMs: CONNECT_TIMEOUT_MS, onIdleError: () => {} });
  try {
    const room = roomRecord(scope);
    assert.equal((await store.createRoom(room)).kind, 'ok');
    // A stream of updates while the server stops and starts: each settles (ok or rejected), none hangs.
    let stop = false;
    const outcomes: string[] = [];
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        outcomes.push(await store.updateRoom(room.arn, { maximumMessageLength: (i % 100) + 1 }, 1).then((w) => w.kind, () => 'rejected'));
      }
    })();
    await until(() => outcomes.length >= 5, 'some updates before the stop');
    await pg.restart();
    await until(() => outcomes.lastIndexOf('ok') > outcomes.indexOf('rejected') && outcomes.includes('rejected'), 'updates to fail and then succeed again', 60_000);
    stop = true;
    await writer;
    const times = (await store.listRooms(scope, {}, undefined, 100)).filter((r) => r.arn === room.arn);
    assert.equal(times.length, 1);
  } finally {
    await store.close();
  }
});

test('a server that accepts but never answers: open fails after the connect timeout instead of hanging', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((s) => sockets.add(s.on('error', () => {})));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  try {
    const started = performance.now();
    await assert.rejects(PostgresStore.open(`postgres://postgres@127.0.0.1:${port}/x`, { connectTimeoutMs: 1_000 }), /timeout/i);
    assert.ok(performance.now() - started < 1_000 + 8_000);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

/** A pass-through to PostgreSQL that can stop forwarding (a network that drops everything). */
async function freezableProxy(target: URL) {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!frozen) to.write(chunk);
      });
      from.on('error', () => {}).on('close', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    freeze: (on: boolean) => (frozen = on),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test('a server that stops answering mid-session: calls fail after the statement timeout, and work again once it answers', async () => {
  const db = await freshDatabase();
  const proxy = await freezableProxy(new URL(db.url));
  const store = await PostgresStore.open(proxy.url, { connectTimeoutMs: 1_000, queryTimeoutMs: 1_000, onIdleError: () => {} });
  try {
    const room = roomRecord(scope);
    assert.equal((await store.createRoom(room)).kind, 'ok');
    proxy.freeze(true);
    for (const [what, call] of [
      ['getRoom', () => store.getRoom(room.arn)],
      ['updateRoom', () => store.updateRoom(room.arn, { name: 'x' }, 1)],
      ['redeemChatToken', () => store.redeemChatToken('t', 9e12)],
    ] as const) {
      const started = performance.now();
      await assert.rejects(call(), `${what} rejects`);
      assert.ok(performance.now() - started < 1_000 + 8_000, `${what} was bounded`);
    }
    proxy.freeze(false);
    assert.deepEqual(await store.getRoom(room.arn), room, 'the timed-out connections were discarded, fresh ones work');
    assert.equal(await store.redeemChatToken('t', 9e12), true, 'the redeem that never reached the server wrote nothing');
  } finally {
    await store.close();
    await proxy.close();
    await db.drop();
  }
});
