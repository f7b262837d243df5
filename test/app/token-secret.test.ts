/**
 * The chat-token secret lives in the store: two nodes on one PostgreSQL database sign and
 * check with the same bytes (a token minted on one decodes on the other), and an embedded data
 * directory of an earlier version keeps its `chat-token.key` secret, so tokens minted before
 * the upgrade still connect.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LEGACY_TOKEN_SECRET_FILE, loadTokenSecret } from '../../src/app/token-secret.js';
import type { ChatTokenClaims } from '../../src/domain/chat-token.js';
import { ChatTokenCodec } from '../../src/protocol/chat-token-codec.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { freshDatabase } from '../helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'parlor-secret-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const claims: ChatTokenClaims = {
  tokenId: 'tok-1',
  roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl',
  userId: 'u',
  capabilities: ['SEND_MESSAGE'],
  attributes: {},
  tokenExpiresAt: 2_000_000_000_000,
  sessionExpiresAt: 2_000_000_000_000,
};

test('a fresh embedded data directory: a 32-byte secret, the same after a restart, no key file written', async () => {
  const dataDir = join(dir, 'fresh');
  const first = new SqliteStore(join(dataDir, 'parlor.db'));
  const secret = await loadTokenSecret(first, dataDir);
  await first.close();
  assert.equal(secret.length, 32);
  const second = new SqliteStore(join(dataDir, 'parlor.db'));
  assert.deepEqual(await loadTokenSecret(second, dataDir), secret);
  await second.close();
  assert.equal(existsSync(join(dataDir, LEGACY_TOKEN_SECRET_FILE)), false);
});

test('an earlier version’s chat-token.key is adopted: its tokens still verify, and the file is set aside', async () => {
  const dataDir = join(dir, 'legacy');
  const store = new SqliteStore(join(dataDir, 'parlor.db'));
  const old = randomBytes(32);
  writeFileSync(join(dataDir, LEGACY_TOKEN_SECRET_FILE), old, { mode: 0o600 });
  const minted = new ChatTokenCodec(old).encode(claims);
  const secret = await loadTokenSecret(store, dataDir);
  assert.deepEqual(secret, old);
  assert.deepEqual(new ChatTokenCodec(secret).decode(minted), claims);
  assert.equal(existsSync(join(dataDir, LEGACY_TOKEN_SECRET_FILE)), false);
  assert.deepEqual(readFileSync(join(dataDir, `${LEGACY_TOKEN_SECRET_FILE}.imported`)), old, 'kept, renamed');
  assert.deepEqual(await loadTokenSecret(store, dataDir), old, 'the next start reads it from the store');
  await store.close();
});

test('a short chat-token.key is refused with a message naming it', async () => {
  const dataDir = join(dir, 'short');
  const store = new SqliteStore(join(dataDir, 'parlor.db'));
  writeFileSync(join(dataDir, LEGACY_TOKEN_SECRET_FILE), randomBytes(8));
  await assert.rejects(loadTokenSecret(store, dataDir), /chat-token\.key holds fewer than 32 bytes/);
  await store.close();
});

test('two nodes on one PostgreSQL database, starting at once, share the secret: a token minted on one verifies on the other', async () => {
  const db = await freshDatabase();
  try {
    const [a, b] = await Promise.all([PostgresStore.open(db.url), PostgresStore.open(db.url)]);
    const [sa, sb] = await Promise.all([loadTokenSecret(a), loadTokenSecret(b)]);
    assert.deepEqual(sa, sb);
    assert.deepEqual(new ChatTokenCodec(sb).decode(new ChatTokenCodec(sa).encode(claims)), claims);
    await Promise.all([a.close(), b.close()]);
  } finally {
    await db.drop();
  }
});
