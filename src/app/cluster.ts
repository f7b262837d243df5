/**
 * Cluster mode: PostgreSQL for what is durable and shared (the store, with the chat-token
 * secret), Redis for what moves between nodes (the fan-out) and for room-wide budgets (the
 * rate limiter). docs/cluster.md has the table of what lives where.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { RedisFanOut } from '../fan-out/redis-fan-out.js';
import { registerRedisMetrics } from '../fan-out/redis-metrics.js';
import { RedisPresence } from '../presence/redis-presence.js';
import { RedisRateLimiter } from '../rate-limit/redis-rate-limiter.js';
import { PostgresMessageHistory } from '../history/postgres-message-history.js';
import { PostgresPool } from '../store/postgres-pool.js';
import { PostgresStore } from '../store/postgres-store.js';
import type { Backend } from './backend.js';
import { maskPassword, type Config } from './config.js';
import type { Opened } from './opened.js';
import { loadTokenSecret } from './token-secret.js';

/** How long a starting node waits for Redis before it gives up, in ms. */
const REDIS_START_TIMEOUT_MS = 10_000;

export async function openCluster(config: Config, nodeId: string, opened: Opened, logger: Logger, metrics: Registry): Promise<Backend> {
  const databaseUrl = config.databaseUrl!;
  const redisUrl = config.redisUrl!;
  const store = opened.add('store', await PostgresStore.open(databaseUrl), (s) => s.close());
  // The first node creates the secret; every other node reads the same bytes (ADR 0010).
  const tokenSecret = await loadTokenSecret(store);
  const redis = { url: redisUrl, clusterName: config.clusterName, nodeId, log: logger };
  const fanOut = opened.add('fan-out', new RedisFanOut(redis), (f) => f.close());
  const rateLimiter = opened.add('rate limiter', new RedisRateLimiter(redis), (r) => r.close());
  const presenceRedis = opened.add('presence connection', new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false }), (r) => r.disconnect());
  presenceRedis.on('error', () => {}); // outages are reported by the fan-out's connections
  const presence = opened.add('presence', new RedisPresence({ redis: presenceRedis, prefix: config.clusterName, nodeId, log: logger }), (p) => p.close());
  // History on the cluster database (its table comes with the store's migrations), own pool.
  const historyPool = opened.add('history pool', new PostgresPool(databaseUrl), (p) => p.end());
  const history = new PostgresMessageHistory(historyPool);
  await fanOut.whenUp(REDIS_START_TIMEOUT_MS);
  registerRedisMetrics(metrics, fanOut, rateLimiter);
  return {
    mode: 'cluster',
    store,
    history,
    fanOut,
    rateLimiter,
    presence,
    tokenSecret,
    probes: [
      { name: 'database', ping: () => store.ping(), reconnects: () => store.reconnects() },
      {
        name: 'redis',
        ping: async () => {
          await fanOut.roundTrip();
          if (!fanOut.isUp() || !rateLimiter.isUp()) throw new Error('Redis subscriptions are not restored yet');
        },
        reconnects: () => fanOut.reconnects,
      },
    ],
    usedTokenSweepMs: 30_000,
    drainSpreadMs: 3000,
    banner: [`  database:       ${maskPassword(databaseUrl)}`, `  redis:          ${maskPassword(redisUrl)} (cluster name "${config.clusterName}")`],
  };
}
