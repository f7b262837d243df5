/**
 * The machine's Redis for tests (PARLOR_TEST_REDIS_URL, default redis://127.0.0.1:6379), and a
 * fresh cluster name per test so that runs in parallel never share a key or a channel.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env['PARLOR_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A cluster name (key and channel prefix) no other run uses. */
export function uniqueClusterName(label = 'test'): string {
  return `parlor-${label}-${randomBytes(6).toString('hex')}`;
}

/** Logs that a test can inspect; satisfies the Redis parts' log interface. */
export function recordingLog(): { lines: { level: string; message: string; details: object }[]; warn: Log; info: Log; error: Log } {
  const lines: { level: string; message: string; details: object }[] = [];
  const at = (level: string): Log => (details, message) => lines.push({ level, message, details });
  return { lines, warn: at('warn'), info: at('info'), error: at('error') };
}
type Log = (details: object, message: string) => void;

/** A plain client for a test's own commands (raw PUBLISH, SCAN); close it with `quit`. */
export function rawRedis(url = REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/** Deletes every key under `clusterName:` (a test's leftovers). */
export async function forgetCluster(clusterName: string, url = REDIS_URL): Promise<void> {
  const redis = rawRedis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${clusterName}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
