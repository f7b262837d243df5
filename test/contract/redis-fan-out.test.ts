/** The fan-out contract on Redis: two instances as two nodes on the machine's Redis, a fresh cluster name per test. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { RedisFanOut } from '../../src/fan-out/redis-fan-out.js';
import { registerRedisMetrics } from '../../src/fan-out/redis-metrics.js';
import { RedisRateLimiter } from '../../src/rate-limit/redis-rate-limiter.js';
import type { Envelope } from '../../src/domain/envelope.js';
import { rawRedis, recordingLog, REDIS_URL, uniqueClusterName } from '../helpers/redis.js';
import { changeBroadcastContract } from './change-broadcast.contract.js';
import { fanOutContract } from './fan-out.contract.js';

async function twoNodes(clusterName = uniqueClusterName('fan-out')) {
  const log = recordingLog();
  const a = new RedisFanOut({ url: REDIS_URL, clusterName, nodeId: 'a', log });
  const b = new RedisFanOut({ url: REDIS_URL, clusterName, nodeId: 'b', log });
  await Promise.all([a.whenUp(), b.whenUp()]);
  return { a, b, log, clusterName, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

fanOutContract('RedisFanOut', () => twoNodes());
changeBroadcastContract('RedisFanOut', () => twoNodes());

test('RedisFanOut: a malformed text on a channel is counted, logged and dropped; delivery goes on', async () => {
  const { a, b, log, clusterName, close } = await twoNodes();
  const raw = rawRedis();
  try {
    const got: Envelope[] = [];
    a.open(() => {});
    b.open((e) => got.push(e));
    await b.join('r');
    await raw.publish(`${clusterName}:room:r`, 'not json at all');
    await raw.publish(`${clusterName}:nodes`, JSON.stringify({ from: 'x', envelope: { kind: 'deliver', roomArn: 'r' } }));
    await a.publish({ kind: 'deliver', roomArn: 'r', frame: 'after' });
    const deadline = Date.now() + 10_000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(got, [{ kind: 'deliver', roomArn: 'r', frame: 'after' }]);
    assert.equal(b.stats.malformed, 2);
    assert.ok(log.lines.some((l) => l.message.includes('malformed')), 'logged');
  } finally {
    raw.disconnect();
    await close();
  }
});

test('RedisFanOut: a message costs one PUBLISH on its room channel, however many nodes joined', async () => {
  const clusterName = uniqueClusterName('fan-out');
  const nodes = await Promise.all(['a', 'b', 'c'].map((nodeId) => new RedisFanOut({ url: REDIS_URL, clusterName, nodeId, log: recordingLog() })));
  try {
    await Promise.all(nodes.map((n) => n.whenUp()));
    const counts = nodes.map(() => 0);
    nodes.forEach((n, i) => n.open(() => counts[i]!++));
    await Promise.all(nodes.map((n) => n.join('r')));
    for (let i = 0; i < 10; i++) await nodes[0]!.publish({ kind: 'deliver', roomArn: 'r', frame: String(i) });
    const deadline = Date.now() + 10_000;
    while (counts.some((c) => c < 10) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(counts, [10, 10, 10]);
    assert.equal(nodes[0]!.stats.published, 10, 'one PUBLISH per envelope');
    assert.deepEqual(nodes.map((n) => n.stats.received), [0, 10, 10]);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
});

test('RedisFanOut: metrics count publishes, receipts and the connection state', async () => {
  const { a, b, close, clusterName } = await twoNodes();
  const limiter = new RedisRateLimiter({ url: REDIS_URL, clusterName, nodeId: 'a', log: recordingLog() });
  const registry = new Registry();
  registerRedisMetrics(registry, b, limiter);
  try {
    a.open(() => {});
    b.open(() => {});
    await b.join('r');
    await a.publish({ kind: 'deliver', roomArn: 'r', frame: 'x' });
    await b.publish({ kind: 'deliver', roomArn: 'r', frame: 'yy' });
    const deadline = Date.now() + 10_000;
    while ((b.stats.received < 1 || !limiter.isUp()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const text = await registry.metrics();
    assert.match(text, /^parlor_redis_up 1$/m);
    assert.match(text, /^parlor_fan_out_published_total 1$/m);
    assert.match(text, /^parlor_fan_out_received_total 1$/m);
    assert.match(text, /^parlor_fan_out_dropped_total 0$/m);
    assert.ok(b.stats.publishedChars > 0);
    assert.ok((await b.roundTrip()) >= 0);
  } finally {
    await limiter.close();
    await close();
  }
});
