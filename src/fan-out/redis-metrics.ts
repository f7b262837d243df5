/**
 * Prometheus metrics of a node's Redis parts (fan-out and rate limiter), read when scraped.
 * No label names a room or a user (unbounded); counters only grow.
 */
import { Gauge, type Registry } from 'prom-client';
import { mirroredCounter } from '../lib/mirrored-counter.js';
import type { RedisRateLimiter } from '../rate-limit/redis-rate-limiter.js';
import type { RedisFanOut, RedisFanOutStats } from './redis-fan-out.js';

export function registerRedisMetrics(registry: Registry, fanOut: RedisFanOut, rateLimiter: RedisRateLimiter): void {
  new Gauge({
    name: 'parlor_redis_up',
    help: '1 while the fan-out and rate-limiter connections to Redis are up and subscribed, else 0',
    registers: [registry],
    collect() {
      this.set(fanOut.isUp() && rateLimiter.isUp() ? 1 : 0);
    },
  });
  const counter = (name: string, help: string, read: () => number): void => mirroredCounter(registry, name, help, read);
  const stat = (key: keyof RedisFanOutStats) => () => fanOut.stats[key];
  counter('parlor_fan_out_published_total', 'Envelopes this node published to Redis (one PUBLISH each)', stat('published'));
  counter('parlor_fan_out_published_bytes_total', 'Characters of the envelopes this node published to Redis', stat('publishedChars'));
  counter('parlor_fan_out_received_total', 'Envelopes received from other nodes through Redis', stat('received'));
  counter('parlor_fan_out_dropped_total', 'Envelope copies for other nodes dropped because Redis was down or the PUBLISH failed', stat('dropped'));
  counter('parlor_fan_out_malformed_total', 'Texts received from Redis that were not a valid envelope (dropped)', stat('malformed'));
  counter('parlor_redis_reconnect_attempts_total', 'Reconnection attempts of the fan-out connections to Redis', () => fanOut.reconnects);
  counter('parlor_rate_limit_fallbacks_total', 'Rate-limit checks answered by this node alone because Redis was down', () => rateLimiter.fallbacks);
}
