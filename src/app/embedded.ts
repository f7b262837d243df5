/**
 * Embedded mode: one process holds everything — SQLite in the data directory (with the
 * chat-token secret), the in-process fan-out and the memory rate limiter.
 */
import { join, resolve } from 'node:path';
import { LocalFanOut } from '../fan-out/local-fan-out.js';
import { MemoryPresence } from '../presence/memory-presence.js';
import { MemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { Backend } from './backend.js';
import type { Config } from './config.js';
import type { Opened } from './opened.js';
import { loadTokenSecret } from './token-secret.js';

/** `now`: the clock of the memory rate limiter (epoch ms; tests freeze it). */
export async function openEmbedded(config: Config, opened: Opened, now: () => number): Promise<Backend> {
  const store = opened.add('store', new SqliteStore(join(config.dataDir, 'parlor.db')), (s) => s.close());
  const tokenSecret = await loadTokenSecret(store, config.dataDir);
  const fanOut = opened.add('fan-out', new LocalFanOut(), (f) => f.close());
  const rateLimiter = opened.add('rate limiter', new MemoryRateLimiter(now), (r) => r.close());
  const presence = opened.add('presence', new MemoryPresence(), (p) => p.close());
  return {
    mode: 'embedded',
    store,
    fanOut,
    rateLimiter,
    presence,
    tokenSecret,
    probes: [],
    usedTokenSweepMs: 1000,
    // One node: a client sent away can only come back here, after the restart; spreading
    // would only delay the shutdown.
    drainSpreadMs: 0,
    banner: [`  data directory: ${resolve(config.dataDir)}`],
  };
}
