/**
 * Budgets shared by every node of a cluster, kept in Redis under `<cluster>:rate:<key>` (token
 * buckets) and `<cluster>:slot:<key>` (slots). Each take is one atomic Lua script that reads
 * the Redis server's clock (`TIME`), so there is no read-then-write across the network and
 * the nodes' clocks do not matter. Keys expire once idle long enough to equal a fresh one.
 *
 * Redis down: each node falls back to its own memory limiter (counted in `fallbacks`), so chat
 * goes on with every node allowing the full budget by itself until Redis is back.
 */
import { createHash } from 'node:crypto';
import { RedisLink, type LinkLog } from '../lib/redis-link.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { SLOT_MEMORY_MS, type RateLimiter, type SlotResult } from './rate-limiter.js';

export interface RedisRateLimiterOptions {
  readonly url: string;
  /** Prefix of every key (PARLOR_CLUSTER_NAME). */
  readonly clusterName: string;
  /** This node's name, for the connection name. */
  readonly nodeId: string;
  readonly log: LinkLog;
}

/**
 * KEYS[1] a hash {tokens, at}; ARGV[1] perSecond. Returns 1 when a token was taken, else 0.
 * Refill is continuous (tokens are fractional); the burst is perSecond. A bucket idle for a
 * second is full, the same as no bucket, so the key expires then.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = rate
  at = now
end
local elapsed = now - at
if elapsed > 0 then
  tokens = math.min(rate, tokens + elapsed * rate / 1000)
  at = now
elseif tokens > rate then
  tokens = rate
end
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], 1100)
return taken
`;

/**
 * KEYS[1] the epoch ms of the slot's last taken unit; ARGV[1] intervalMs, ARGV[2] how long to
 * remember it. Returns 0 when taken, else the ms to wait (≥ 1).
 */
const TAKE_SLOT = `
local interval = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]))
if last ~= nil and now - last < interval then
  return interval - (now - last)
end
redis.call('SET', KEYS[1], now, 'PX', ARGV[2])
return 0
`;

class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

const TAKE_SCRIPT = new Script(TAKE);
const TAKE_SLOT_SCRIPT = new Script(TAKE_SLOT);

export class RedisRateLimiter implements RateLimiter {
  readonly #link: RedisLink;
  readonly #fallback = new MemoryRateLimiter();
  /** Takes answered by the memory fallback because Redis was down. */
  fallbacks = 0;

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.#link = new RedisLink(options.url, `${options.clusterName}:${options.nodeId}:rate-limit`, options.log);
  }

  /** Connected to Redis (for /readyz). */
  isUp(): boolean {
    return this.#link.isUp();
  }

  async take(key: string, perSecond: number): Promise<boolean> {
    const answer = await this.#run(TAKE_SCRIPT, `${this.options.clusterName}:rate:${key}`, [perSecond]);
    if (answer === undefined) return this.#fallback.take(key, perSecond);
    return answer === 1;
  }

  async takeSlot(key: string, intervalMs: number): Promise<SlotResult> {
    const interval = Math.max(0, Math.round(intervalMs));
    const answer = await this.#run(TAKE_SLOT_SCRIPT, `${this.options.clusterName}:slot:${key}`, [interval, Math.max(interval, SLOT_MEMORY_MS)]);
    if (answer === undefined) return this.#fallback.takeSlot(key, intervalMs);
    return answer === 0 ? { taken: true } : { taken: false, retryAfterMs: answer };
  }

  async close(): Promise<void> {
    this.#link.close();
    await this.#fallback.close();
  }

  /**
   * Runs `script` by its SHA, loading it on NOSCRIPT (a restarted Redis forgets scripts).
   * Resolves to its integer reply, or undefined when Redis is down (the caller falls back).
   */
  async #run(script: Script, key: string, args: readonly number[]): Promise<number | undefined> {
    if (!this.#link.isUp()) {
      this.fallbacks++;
      return undefined;
    }
    const client = this.#link.client;
    try {
      let reply: unknown;
      try {
        reply = await client.evalsha(script.sha, 1, key, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        reply = await client.eval(script.source, 1, key, ...args);
      }
      if (typeof reply !== 'number') throw new Error(`Unexpected reply from the rate-limit script: ${String(reply)}`);
      return reply;
    } catch (err) {
      if (this.#link.isUp()) throw err;
      this.fallbacks++;
      return undefined;
    }
  }
}
