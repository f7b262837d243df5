/**
 * bench:cluster's paper projection (bench/cluster/projection.ts) is arithmetic that docs quote:
 * its figures must follow the model its comment states.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectCluster } from '../../bench/cluster/projection.js';

const inputs = { cpuMicrosPerDelivery: 2, nodeMicrosPerMessage: 1000, redisMicrosPerMessage: [100, 150] as const, messagesPerSecond: 100 };

test('each node fills its core: the per-message work first, deliveries with the rest', () => {
  // 1,000,000 µs − 100 msg/s × 1000 µs = 900,000 µs for deliveries at 2 µs each, per node.
  const four = projectCluster(inputs, 4);
  assert.equal(four.deliveriesPerSecond, 4 * 450_000);
  assert.equal(four.subscribers, 18_000);
  assert.equal(projectCluster(inputs, 8).deliveriesPerSecond, 2 * four.deliveriesPerSecond);
});

test('Redis pays its one-node cost per message and one more copy per further node', () => {
  // 100 msg/s × (100 µs + 3 × 50 µs) = 25,000 µs a second: 2.5 % of a core.
  assert.equal(projectCluster(inputs, 4).redisCoreShare, 0.025);
  assert.equal(projectCluster(inputs, 1).redisCoreShare, 0.01);
});

test('a node whose per-message work exceeds its core delivers nothing (never a negative figure)', () => {
  assert.equal(projectCluster({ ...inputs, nodeMicrosPerMessage: 20_000 }, 2).deliveriesPerSecond, 0);
});
