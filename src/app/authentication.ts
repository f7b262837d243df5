/**
 * Chooses the authenticator: the auth file's accounts when one is configured (enforced SigV4),
 * otherwise open mode as the configured account. A bad auth file stops the start with a
 * ConfigError naming the bad entry.
 */
import { AuthFileError, loadAuthFile } from '../auth/auth-file.js';
import type { Authenticator } from '../auth/authenticator.js';
import { FileAuthenticator } from '../auth/file-authenticator.js';
import { OpenAuthenticator } from '../auth/open-authenticator.js';
import { ConfigError, type Config } from './config.js';

export function createAuthenticator(config: Config): Authenticator {
  if (config.authFile === undefined) return new OpenAuthenticator(config.accountId, config.region);
  try {
    return new FileAuthenticator(loadAuthFile(config.authFile));
  } catch (err) {
    if (err instanceof AuthFileError) throw new ConfigError(err.message);
    throw err;
  }
}
