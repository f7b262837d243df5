/** The room's delivery hold: frames wait for the room's reviews in flight, in order, and never longer than HOLD_MS. */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { DeliveryHold, HOLD_MS } from '../../src/chat/delivery-hold.js';

const frame = (text: string): Uint8Array => Buffer.from(text);
/** A bound no test waits for: holding is then observed without racing the timer on a busy machine. */
const LONG = 60_000;

function recipients(n: number): { got: string[][]; list: { connection: { send(f: Uint8Array): void } }[] } {
  const got = Array.from({ length: n }, () => [] as string[]);
  return { got, list: got.map((into) => ({ connection: { send: (f: Uint8Array) => void into.push(Buffer.from(f).toString()) } })) };
}

describe('DeliveryHold', () => {
  test('in a room that never had a review here a frame goes out at once', () => {
    const r = recipients(2);
    new DeliveryHold(r.list, LONG).deliver(frame('a'));
    assert.deepEqual(r.got, [['a'], ['a']]);
  });

  test('frames wait while a review is in flight and leave, in order, at the end of the turn in which the last one settled', async () => {
    const r = recipients(2);
    const hold = new DeliveryHold(r.list, LONG);
    hold.reviewStarted();
    hold.reviewStarted();
    hold.deliver(frame('1'));
    hold.reviewSettled();
    hold.deliver(frame('2'));
    assert.deepEqual(r.got, [[], []], 'one review is still in flight');
    hold.reviewSettled();
    hold.deliver(frame('3'));
    assert.deepEqual(r.got, [[], []], 'not before the end of the turn');
    await nextTurn();
    assert.deepEqual(r.got, [['1', '2', '3'], ['1', '2', '3']]);
    hold.deliver(frame('4'));
    assert.deepEqual(r.got[0], ['1', '2', '3'], 'a room that had reviews sends at the end of the turn');
    await nextTurn();
    assert.deepEqual(r.got[0], ['1', '2', '3', '4']);
  });

  test('a frame delivered when no review is in flight still waits for a review started later in the turn', async () => {
    const r = recipients(1);
    const hold = new DeliveryHold(r.list, LONG);
    hold.reviewStarted();
    hold.reviewSettled();
    hold.deliver(frame('m1'));
    hold.reviewStarted();
    await nextTurn();
    assert.deepEqual(r.got[0], [], 'held for the review of the message read after it');
    hold.reviewSettled();
    await nextTurn();
    assert.deepEqual(r.got[0], ['m1']);
  });

  test('a review started later in the same turn keeps the frames for its own answer', async () => {
    const r = recipients(1);
    const hold = new DeliveryHold(r.list, LONG);
    hold.reviewStarted();
    hold.deliver(frame('a'));
    hold.reviewSettled();
    hold.reviewStarted();
    await nextTurn();
    assert.deepEqual(r.got[0], [], 'still held: another review is in flight');
    hold.reviewSettled();
    hold.deliver(frame('b'));
    await nextTurn();
    assert.deepEqual(r.got[0], ['a', 'b']);
  });

  test('a review that never settles holds frames no longer than HOLD_MS', async () => {
    const r = recipients(1);
    const hold = new DeliveryHold(r.list);
    hold.reviewStarted();
    hold.deliver(frame('x'));
    assert.deepEqual(r.got[0], []);
    await sleep(HOLD_MS + 20);
    assert.deepEqual(r.got[0], ['x']);
    hold.discard();
  });

  test('deliverNow sends what was held first (a frame after which sessions end)', () => {
    const r = recipients(1);
    const hold = new DeliveryHold(r.list, LONG);
    hold.reviewStarted();
    hold.deliver(frame('held'));
    hold.deliverNow(frame('bye'));
    assert.deepEqual(r.got[0], ['held', 'bye']);
  });

  test('discard drops held frames', async () => {
    const r = recipients(1);
    const hold = new DeliveryHold(r.list, LONG);
    hold.reviewStarted();
    hold.deliver(frame('gone'));
    hold.discard();
    await sleep(HOLD_MS + 20);
    assert.deepEqual(r.got[0], []);
  });
});
