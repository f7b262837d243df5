/** The nearest-rank percentile the raw-sample benches share. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile } from '../../bench/percentile.js';

test('nearest rank: the smallest value with at least p % of the values at or below it', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 50), 50);
  assert.equal(percentile(hundred, 99), 99);
  assert.equal(percentile(hundred, 100), 100);
  assert.equal(percentile(hundred, 0), 1);
  assert.equal(percentile(new Float64Array([1, 2, 3]), 50), 2);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});
