/**
 * The secret that signs chat tokens: 32 random bytes in `<dataDir>/chat-token.key`, created
 * (mode 0600) on first start and reused after, so tokens survive a restart. Deleting the file
 * invalidates every outstanding token.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_SECRET_FILE = 'chat-token.key';

export function loadTokenSecret(dataDir: string): Buffer {
  const path = join(dataDir, TOKEN_SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = readFileSync(path);
  if (secret.length < 32) throw new Error(`${path} holds fewer than 32 bytes; delete it to create a new secret`);
  return secret;
}
