/** End-of-turn batching: one run per turn, requests before fan-out whatever the order queued. */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'node:test';
import { TurnEnd } from '../../src/lib/turn-end.js';

test('tasks run at the end of the turn, stage by stage, each once', async () => {
  const ran: string[] = [];
  const turnEnd = new TurnEnd();
  const atTurnEnd = turnEnd.at.bind(turnEnd);
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

test('two TurnEnds are independent: each runs its own batch in its own stage order', async () => {
  const a = new TurnEnd();
  const b = new TurnEnd();
  const ran: string[] = [];
  a.at('fan-out', () => {
    ran.push('a fan-out');
    b.at('fan-out', () => ran.push('b fan-out queued by a'));
  });
  b.at('requests', () => ran.push('b request'));
  await nextTurn();
  await nextTurn();
  assert.deepEqual(ran, ['a fan-out', 'b request', 'b fan-out queued by a']);
});
