/** RedisPresence against the presence contract (two instances = two nodes), plus what only Redis promises. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisPresence } from '../../src/presence/redis-presence.js';
import { waitFor } from '../helpers/chat.js';
import { presenceContract } from './presence.contract.js';

const REDIS_URL = process.env.PARLOR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const quiet = { error() {} };

function twoNodes(options: { ttlMs?: number; refreshMs?: number } = {}) {
  const prefix = `parlor-test-${randomUUID()}:`;
  const ra = new Redis(REDIS_URL);
  const rb = new Redis(REDIS_URL);
  const a = new RedisPresence({ redis: ra, prefix, nodeId: 'node-a', log: quiet, ...options });
  const b = new RedisPresence({ redis: rb, prefix, nodeId: 'node-b', log: quiet, ...options });
  return {
    a,
    b,
    ra,
    rb,
    prefix,
    async close() {
      await Promise.allSettled([a.close(), b.close()]);
      const keys = await rb.keys(`${prefix}*`).catch(() => [] as string[]);
      if (keys.length > 0) await rb.del(...keys);
      ra.disconnect();
      rb.disconnect();
    },
  };
}

presenceContract('RedisPresence', async () => twoNodes());

test('RedisPresence: a crashed node’s users stop counting within its TTL', async () => {
  const nodes = twoNodes({ ttlMs: 600, refreshMs: 200 });
  try {
    const room = `room-${randomUUID()}`;
    await nodes.a.arrive(room, 'gone', {}, 1);
    await nodes.b.arrive(room, 'kept', {}, 1);
    nodes.ra.disconnect(); // node a crashes: no withdraw, no refresh
    const crashedAt = Date.now();
    await waitFor('the crashed node to lapse', async () => ((await nodes.b.list(room)).totalUsers === 1 ? true : undefined), 5000);
    assert.ok(Date.now() - crashedAt < 600 + 1000, 'gone within the TTL (and a scheduling margin)');
    assert.deepEqual((await nodes.b.list(room)).users.map((u) => u.userId), ['kept'], 'the live node refreshed its own');
    assert.equal(await nodes.b.arrive(room, 'gone', {}, 2), 'first', 'the crashed node no longer holds the user');
  } finally {
    await nodes.close();
  }
});

test('RedisPresence: a node rewrites entries Redis lost at its next refresh', async () => {
  const nodes = twoNodes({ ttlMs: 3000, refreshMs: 100 });
  try {
    const room = `room-${randomUUID()}`;
    await nodes.a.arrive(room, 'u', { k: 'v' }, 5);
    const keys = await nodes.rb.keys(`${nodes.prefix}*`);
    await nodes.rb.del(...keys);
    assert.equal((await nodes.b.list(room)).totalUsers, 0);
    const back = await waitFor('the rewrite', async () => ((await nodes.b.list(room)).totalUsers === 1 ? nodes.b.list(room) : undefined), 5000);
    assert.deepEqual(back.users, [{ userId: 'u', attributes: { k: 'v' }, connections: 1, connectTime: 5 }]);
  } finally {
    await nodes.close();
  }
});
