/**
 * The TLS certificate chain and key, read from the files PARLOR_TLS_CERT / PARLOR_TLS_KEY name:
 * at start (a problem stops the start, naming the file and the setting) and again on SIGHUP,
 * so a renewed certificate is served without a restart (a problem then keeps the old pair).
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError, type Config } from './config.js';

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

function read(path: string, setting: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ConfigError(`${setting}: cannot read the ${what} ${path} (${e.code ?? e.message}); check the path and that this user may read it`);
  }
}

/** Reads and checks the pair; undefined when TLS is off. Throws ConfigError. */
export function readTlsFiles(config: Pick<Config, 'tlsCert' | 'tlsKey'>): TlsFiles | undefined {
  if (config.tlsCert === undefined || config.tlsKey === undefined) return undefined;
  const cert = read(config.tlsCert, 'PARLOR_TLS_CERT / --tls-cert', 'certificate chain');
  const key = read(config.tlsKey, 'PARLOR_TLS_KEY / --tls-key', 'private key');
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new ConfigError(
      `PARLOR_TLS_CERT (${config.tlsCert}) and PARLOR_TLS_KEY (${config.tlsKey}) are not a usable pair: ${(err as Error).message}; ` +
        'give a PEM certificate chain and the PEM private key it was issued for',
    );
  }
  return { cert, key };
}
