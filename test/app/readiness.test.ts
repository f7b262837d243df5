/** Readiness: what /readyz answers for each state of the node and of its shared services. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { ServiceProbe } from '../../src/app/backend.js';
import { PROBE_TIMEOUT_MS, Readiness } from '../../src/app/readiness.js';

function probe(name: string, behaviour: () => Promise<void>): ServiceProbe & { reconnect(): void } {
  let reconnects = 0;
  return {
    name,
    ping: behaviour,
    reconnects: () => reconnects,
    reconnect: () => reconnects++,
  };
}

test('ready only while serving and every service answers; draining names itself', async () => {
  let redisUp = true;
  const registry = new Registry();
  const redis = probe('redis', async () => {
    if (!redisUp) throw new Error('connection refused');
  });
  const readiness = new Readiness([probe('database', async () => {}), redis], registry);
  assert.equal((await readiness.answer()).status, 503, 'not ready before it serves');
  readiness.serving('node-a');
  assert.deepEqual(await readiness.answer(), { status: 200, body: { status: 'ready', node: 'node-a', checks: { database: 'up', redis: 'up' } } });
  redisUp = false;
  assert.deepEqual(await readiness.answer(), { status: 503, body: { status: 'unavailable', node: 'node-a', checks: { database: 'up', redis: 'down' } } });
  redisUp = true;
  redis.reconnect();
  assert.equal((await readiness.answer()).status, 200);
  readiness.draining();
  assert.deepEqual(await readiness.answer(), {
    status: 503,
    body: { status: 'unavailable', node: 'node-a', checks: { database: 'up', redis: 'up', shutdown: 'draining' } },
  });
  readiness.stop();
  const text = await registry.metrics();
  assert.match(text, /parlor_cluster_reconnects_total\{service="redis"\} 1/);
  assert.match(text, /parlor_cluster_service_up\{service="redis"\} 1/);
  assert.match(text, /parlor_cluster_round_trip_seconds_count\{service="database"\} [1-9]/);
});

test('a service that does not answer within the probe timeout is down', async () => {
  const readiness = new Readiness([probe('database', () => new Promise<void>(() => {}))], new Registry());
  readiness.serving('node-b');
  const started = Date.now();
  const answer = await readiness.answer();
  assert.equal(answer.status, 503);
  assert.deepEqual(answer.body.checks, { database: 'down' });
  assert.ok(Date.now() - started >= PROBE_TIMEOUT_MS - 50);
  readiness.stop();
});

test('embedded mode (no services): ready once serving, with empty checks', async () => {
  const readiness = new Readiness([], new Registry());
  readiness.serving('solo');
  assert.deepEqual(await readiness.answer(), { status: 200, body: { status: 'ready', node: 'solo', checks: {} } });
});
