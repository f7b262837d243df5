/**
 * The secret that signs chat tokens: 32 random bytes kept by the store under the name
 * `chat-token` (Store.loadOrCreateSecret), so that every node sharing a store signs and checks
 * with the same bytes — the first node to start creates them, every later one reads them —
 * and tokens survive restarts. ADR 0010 has the reasons.
 *
 * Data directories of earlier versions kept the secret in `<dataDir>/chat-token.key`. When
 * `legacyDir` holds that file, its bytes are the candidate, so the store adopts them on the
 * first start and outstanding tokens stay valid; the file is then renamed to
 * `chat-token.key.imported` (kept, no longer read), because the store's copy is the one that
 * counts from then on.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.js';

/** The store's name for the chat-token signing secret. */
export const TOKEN_SECRET_NAME = 'chat-token';
/** Where versions before the store held the secret, relative to the data directory. */
export const LEGACY_TOKEN_SECRET_FILE = 'chat-token.key';
const SECRET_BYTES = 32;

export async function loadTokenSecret(store: Pick<Store, 'loadOrCreateSecret'>, legacyDir?: string): Promise<Buffer> {
  const legacyPath = legacyDir === undefined ? undefined : join(legacyDir, LEGACY_TOKEN_SECRET_FILE);
  const legacy = legacyPath === undefined ? undefined : readIfPresent(legacyPath);
  if (legacy !== undefined && legacy.length < SECRET_BYTES) {
    throw new Error(`${legacyPath} holds fewer than ${SECRET_BYTES} bytes; delete it to create a new secret`);
  }
  const secret = await store.loadOrCreateSecret(TOKEN_SECRET_NAME, legacy ?? randomBytes(SECRET_BYTES));
  if (secret.length < SECRET_BYTES) throw new Error(`the store's ${TOKEN_SECRET_NAME} secret holds fewer than ${SECRET_BYTES} bytes`);
  if (legacy !== undefined) renameSync(legacyPath!, `${legacyPath}.imported`);
  return secret;
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
