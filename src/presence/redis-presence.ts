/**
 * Presence for clusters, in Redis. Per room (all keys of a room share the hash tag `{room}`):
 *   `<prefix>presence:{room}:nodes`   sorted set: node id → when its entries lapse (Redis time, ms)
 *   `<prefix>presence:{room}:n:<node>` hash: user id → JSON {a: attributes, n: connections, t: connect time}
 *   `<prefix>presence:{room}:d:<user>` a pending departure (lapses after DEPARTURE_MEMORY_MS)
 * A node writes its own hash on every arrival and departure, and every `refreshMs` pushes the
 * lapse time of each of its rooms `ttlMs` ahead (rewriting a hash Redis lost). A crashed node
 * stops refreshing: its entries stop counting at most `ttlMs` after its last refresh, and
 * its hashes expire then. The decisions that look at other nodes (first arrival, last
 * departure) run as Lua scripts, so each is atomic on the Redis server. Scripts touch other
 * nodes' hashes of the same room (same hash tag): fine on one Redis server, and on a Redis
 * Cluster the keys of one room live in one slot.
 */
import type { Redis } from 'ioredis';
import { LocalPresence, mergeEntries, type LocalEntry } from './local-presence.js';
import { DEPARTURE_MEMORY_MS, type Arrival, type Presence, type RoomPresence } from './presence.js';

/** Default lapse of a node's entries without a refresh (ms): the most a crashed node's users linger. */
export const PRESENCE_TTL_MS = 6000;
/** Default refresh interval (ms); three refreshes fit in one lapse, so one slow refresh loses nothing. */
export const PRESENCE_REFRESH_MS = 2000;
/** Rooms refreshed per script call. */
const REFRESH_BATCH = 500;

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
/** True (returns 1) when a live node other than ARGV[1] has user ARGV[2]; hash keys are ARGV[hashPrefixArg] .. node. */
const ELSEWHERE = (hashPrefixArg: number) => `
local function elsewhere()
  for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
    if node ~= ARGV[1] and redis.call('HEXISTS', ARGV[${hashPrefixArg}] .. node, ARGV[2]) == 1 then return true end
  end
  return false
end`;

/** KEYS: nodes, own hash, departure. ARGV: node, user, entry JSON, ttl ms, local connections, hash prefix. */
const ARRIVE = `${NOW}${ELSEWHERE(6)}
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if tonumber(ARGV[5]) > 1 or elsewhere() then return 'more' end
if redis.call('DEL', KEYS[3]) == 1 then return 'returned' end
return 'first'`;

/** KEYS: nodes, own hash, departure. ARGV: node, user, entry JSON ('' = none left here), departure ms, hash prefix. */
const DEPART = `${NOW}${ELSEWHERE(5)}
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) return 0 end
redis.call('HDEL', KEYS[2], ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('ZREM', KEYS[1], ARGV[1]) end
if elsewhere() then return 0 end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[4])
return 1`;

/** KEYS: nodes. ARGV: hash prefix. Returns [node, [user, json, …]] for each live node. */
const LIST = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
local out = {}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
  table.insert(out, redis.call('HGETALL', ARGV[1] .. node))
end
return out`;

/** KEYS: nodes₁, hash₁, nodes₂, hash₂, … ARGV: node, ttl ms. Returns the 1-based pair indexes whose hash was gone. */
const REFRESH = `${NOW}
local lost = {}
for i = 1, #KEYS, 2 do
  redis.call('ZADD', KEYS[i], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
  if redis.call('PEXPIRE', KEYS[i + 1], ARGV[2]) == 0 then table.insert(lost, (i + 1) / 2) end
end
return lost`;

/** KEYS: nodes, hash. ARGV: node. */
const WITHDRAW = `redis.call('DEL', KEYS[2]) redis.call('ZREM', KEYS[1], ARGV[1]) return 1`;

export interface RedisPresenceOptions {
  readonly redis: Redis;
  /** Prepended to every key (the cluster's name). */
  readonly prefix: string;
  /** This node's id, unique in the cluster. */
  readonly nodeId: string;
  readonly ttlMs?: number;
  readonly refreshMs?: number;
  readonly log: { error(details: object, message: string): void };
}

const encodeEntry = (e: LocalEntry): string => JSON.stringify({ a: e.attributes, n: e.connections, t: e.connectTime });

function decodeEntry(json: string): LocalEntry {
  const v = JSON.parse(json) as { a: Record<string, string>; n: number; t: number };
  return { attributes: v.a, connections: v.n, connectTime: v.t };
}

export class RedisPresence implements Presence {
  readonly #local = new LocalPresence();
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #timer: NodeJS.Timeout;
  #refreshing: Promise<void> | undefined;

  constructor(private readonly options: RedisPresenceOptions) {
    this.#redis = options.redis;
    this.#ttlMs = options.ttlMs ?? PRESENCE_TTL_MS;
    this.#timer = setInterval(() => (this.#refreshing ??= this.#refresh()), options.refreshMs ?? PRESENCE_REFRESH_MS);
    this.#timer.unref();
  }

  #room(roomArn: string): string {
    return `${this.options.prefix}presence:{${roomArn}}:`;
  }

  #keys(roomArn: string, userId: string): [string, string, string] {
    const room = this.#room(roomArn);
    return [`${room}nodes`, `${room}n:${this.options.nodeId}`, `${room}d:${userId}`];
  }

  async arrive(roomArn: string, userId: string, attributes: Readonly<Record<string, string>>, at: number): Promise<Arrival> {
    const entry = this.#local.add(roomArn, userId, attributes, at);
    const result = await this.#redis.eval(
      ARRIVE,
      3,
      ...this.#keys(roomArn, userId),
      this.options.nodeId,
      userId,
      encodeEntry(entry),
      this.#ttlMs,
      entry.connections,
      `${this.#room(roomArn)}n:`,
    );
    return result as Arrival;
  }

  async depart(roomArn: string, userId: string): Promise<boolean> {
    const left = this.#local.remove(roomArn, userId);
    const result = await this.#redis.eval(
      DEPART,
      3,
      ...this.#keys(roomArn, userId),
      this.options.nodeId,
      userId,
      left ? encodeEntry(left) : '',
      DEPARTURE_MEMORY_MS,
      `${this.#room(roomArn)}n:`,
    );
    return result === 1;
  }

  async confirmDeparture(roomArn: string, userId: string): Promise<boolean> {
    return (await this.#redis.del(this.#keys(roomArn, userId)[2])) === 1;
  }

  async list(roomArn: string): Promise<RoomPresence> {
    const perNode = (await this.#redis.eval(LIST, 1, `${this.#room(roomArn)}nodes`, `${this.#room(roomArn)}n:`)) as string[][];
    return mergeEntries(
      perNode.map((flat) => {
        const pairs: [string, LocalEntry][] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, decodeEntry(flat[i + 1]!)]);
        return pairs;
      }),
    );
  }

  localAudienceSizes(): IterableIterator<number> {
    return this.#local.audienceSizes();
  }

  /** Pushes every local room's lapse ahead; rewrites the hashes Redis no longer has. */
  async #refresh(): Promise<void> {
    try {
      const rooms = [...this.#local.rooms.keys()];
      for (let i = 0; i < rooms.length; i += REFRESH_BATCH) {
        const batch = rooms.slice(i, i + REFRESH_BATCH);
        const keys = batch.flatMap((room) => [`${this.#room(room)}nodes`, `${this.#room(room)}n:${this.options.nodeId}`]);
        const lost = (await this.#redis.eval(REFRESH, keys.length, ...keys, this.options.nodeId, this.#ttlMs)) as number[];
        for (const index of lost) await this.#rewrite(batch[index - 1]!);
      }
    } catch (err) {
      this.options.log.error({ err }, 'could not refresh presence in Redis');
    } finally {
      this.#refreshing = undefined;
    }
  }

  async #rewrite(roomArn: string): Promise<void> {
    const users = this.#local.rooms.get(roomArn);
    if (!users || users.size === 0) return;
    const hash = `${this.#room(roomArn)}n:${this.options.nodeId}`;
    const fields = [...users].flatMap(([userId, entry]) => [userId, encodeEntry(entry)]);
    await this.#redis.multi().hset(hash, ...fields).pexpire(hash, this.#ttlMs).exec();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#refreshing;
    const rooms = [...this.#local.rooms.keys()];
    this.#local.rooms.clear();
    await Promise.all(
      rooms.map((room) => this.#redis.eval(WITHDRAW, 2, `${this.#room(room)}nodes`, `${this.#room(room)}n:${this.options.nodeId}`, this.options.nodeId)),
    );
  }
}
