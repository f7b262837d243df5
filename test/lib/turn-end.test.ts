/** End-of-turn batching: one run per turn, requests before fan-out whatever the order queued. */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'node:test';
import { atTurnEnd } from '../../src/lib/turn-end.js';

test('tasks run at the end of the turn, stage by stage, each once', async () => {
  const ran: string[] = [];
  atTurnEnd('fan-out', () => {
    ran.push('fan-out');
    atTurnEnd('requests', () => ran.push('late request'));
    atTurnEnd('fan-out', () => ran.push('late fan-out'));
  });
  atTurnEnd('requests', () => {
    ran.push('request');
    atTurnEnd('fan-out', () => ran.push('fan-out queued by a request'));
  });
  assert.deepEqual(ran, [], 'nothing runs synchronously');
  await nextTurn();
  assert.deepEqual(ran, ['request', 'fan-out', 'fan-out queued by a request'], 'a later stage queued meanwhile runs in the same batch');
  await nextTurn();
  assert.deepEqual(ran.slice(3), ['late request', 'late fan-out'], 'the running or an earlier stage waits for the next turn');
});
