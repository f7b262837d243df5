/** End-of-turn batching: one run per turn, requests before fan-out whatever the order queued. */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'node:test';
import { atTurnEnd } from '../../src/lib/turn-end.js';

test('tasks run at the end of the turn, requests first, each once; tasks queued meanwhile wait for the next turn', async () => {
  const ran: string[] = [];
  atTurnEnd('fan-out', () => {
    ran.push('fan-out');
    atTurnEnd('requests', () => ran.push('late request'));
  });
  atTurnEnd('requests', () => ran.push('request'));
  assert.deepEqual(ran, [], 'nothing runs synchronously');
  await nextTurn();
  assert.deepEqual(ran, ['request', 'fan-out']);
  await nextTurn();
  assert.deepEqual(ran, ['request', 'fan-out', 'late request']);
});
