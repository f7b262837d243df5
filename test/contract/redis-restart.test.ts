/**
 * Redis restarts under two fan-outs and two rate limiters (two nodes) on a private
 * redis-server: local delivery and rate limiting go on while it is down, both nodes report
 * down, reconnect and resubscribe by themselves, and cross-node delivery resumes. Nothing
 * throws and no envelope arrives twice.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '../../src/domain/envelope.js';
import { RedisFanOut } from '../../src/fan-out/redis-fan-out.js';
import { RedisRateLimiter } from '../../src/rate-limit/redis-rate-limiter.js';
import { PrivateRedis } from '../helpers/private-redis.js';
import { recordingLog, uniqueClusterName } from '../helpers/redis.js';

async function until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const frames = (got: Envelope[]): string[] => got.map((e) => (e.kind === 'deliver' ? e.frame : e.kind));

test('a Redis restart: local chat goes on, both nodes reconnect and resubscribe by themselves', async () => {
  const redis = await PrivateRedis.start();
  const clusterName = uniqueClusterName('restart');
  const log = recordingLog();
  const a = new RedisFanOut({ url: redis.url, clusterName, nodeId: 'a', log });
  const b = new RedisFanOut({ url: redis.url, clusterName, nodeId: 'b', log });
  const limiter = new RedisRateLimiter({ url: redis.url, clusterName, nodeId: 'a', log });
  try {
    const gotA: Envelope[] = [];
    const gotB: Envelope[] = [];
    a.open((e) => gotA.push(e));
    b.open((e) => gotB.push(e));
    await Promise.all([a.whenUp(), b.whenUp()]);
    await a.join('r');
    await b.join('r');
    await a.publish({ kind: 'deliver', roomArn: 'r', frame: 'before' });
    await until('the first message on B', () => gotB.length === 1);
    assert.equal(await limiter.take('room', 1), true);
    assert.equal(await limiter.take('room', 1), false, 'the shared budget holds while Redis is up');

    await redis.stop();
    await until('both nodes to see Redis down', () => !a.isUp() && !b.isUp() && !limiter.isUp());
    await a.publish({ kind: 'deliver', roomArn: 'r', frame: 'during' });
    await a.publishToAllNodes({ kind: 'bans-changed', roomArn: 'r', userId: 'u' });
    assert.deepEqual(frames(gotA), ['before', 'during', 'bans-changed'], 'A delivered locally while Redis was down');
    assert.ok(a.stats.dropped >= 2, 'the copies for other nodes were dropped and counted');
    await b.join('joined-while-down');
    assert.equal(typeof (await limiter.take('room', 1)), 'boolean', 'the limiter answers from its fallback');
    assert.ok(limiter.fallbacks >= 1);

    await redis.resume();
    await until('both nodes up and resubscribed', () => a.isUp() && b.isUp() && limiter.isUp());
    assert.ok(a.reconnects >= 1 && b.reconnects >= 1, 'reconnections counted');
    await a.publish({ kind: 'deliver', roomArn: 'r', frame: 'after' });
    await a.publish({ kind: 'deliver', roomArn: 'joined-while-down', frame: 'new room' });
    await b.publish({ kind: 'deliver', roomArn: 'r', frame: 'from B' });
    await a.publishToAllNodes({ kind: 'bans-changed', roomArn: 'r', userId: 'v' });
    await until('the messages after the restart on B', () => gotB.length >= 5);
    await until('B\'s message on A', () => gotA.length >= 6);
    // Order holds per publisher: B applied its own message at once, A's arrive in A's order.
    const onB = frames(gotB);
    assert.deepEqual(onB.filter((f) => f !== 'from B'), ['before', 'after', 'new room', 'bans-changed'], 'B missed only what was sent while Redis was down, nothing twice');
    assert.equal(onB.filter((f) => f === 'from B').length, 1);
    const onA = frames(gotA);
    assert.deepEqual(onA.filter((f) => f !== 'from B'), ['before', 'during', 'bans-changed', 'after', 'bans-changed']);
    assert.equal(onA.filter((f) => f === 'from B').length, 1);
    assert.equal(await limiter.take('room-after', 1), true, 'the shared limiter works again');
    assert.equal(await limiter.take('room-after', 1), false);
    assert.ok(log.lines.some((l) => l.level === 'warn' && l.message.includes('reconnecting')), 'the outage was logged');
    assert.ok(log.lines.some((l) => l.message.includes('restored')), 'and the recovery');
  } finally {
    await Promise.all([a.close(), b.close(), limiter.close()]);
    await redis.stop();
  }
});
