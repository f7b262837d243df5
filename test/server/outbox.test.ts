/**
 * The Outbox: queued frames leave once per connection at the end of the turn, and a pass over
 * many connections is cut into slices with the event loop's I/O between them, without
 * reordering any connection's frames or leaving a connection behind.
 */
import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { TurnEnd } from '../../src/lib/turn-end.js';
import { Outbox, WsConnection } from '../../src/server/ws-connection.js';

/** A connection whose socket records each write as the list of frames in it. */
function connection(outbox: Outbox): { conn: WsConnection; writes: string[][] } {
  const writes: string[][] = [];
  const ws = { readyState: WebSocket.OPEN } as unknown as WebSocket;
  const socket = {
    writableLength: 0,
    write(chunk: Uint8Array): boolean {
      writes.push(Buffer.from(chunk).toString().split('|').filter((f) => f !== ''));
      return true;
    },
  } as unknown as Duplex;
  return { conn: new WsConnection(ws, socket, '127.0.0.1', outbox, 0), writes };
}

const frame = (text: string): Uint8Array => Buffer.from(`${text}|`);

/** A clock that moves `step` ms each time it is read: a slice ends at the first look past its length. */
function steppingClock(step: number): () => number {
  let t = 0;
  return () => (t += step);
}

async function turnsUntil(done: () => boolean, limit = 10_000): Promise<number> {
  let turns = 0;
  while (!done()) {
    if (++turns > limit) throw new Error(`not done after ${limit} turns`);
    await nextTurn();
  }
  return turns;
}

describe('Outbox', () => {
  test('frames queued in one turn leave at its end, one write per connection, in order', async () => {
    const outbox = new Outbox(1 << 20, { turnEnd: new TurnEnd(), awaiting: () => false });
    const a = connection(outbox);
    const b = connection(outbox);
    a.conn.send(frame('1'));
    b.conn.send(frame('1'));
    a.conn.send(frame('2'));
    assert.deepEqual(a.writes, [], 'nothing before the end of the turn');
    await nextTurn();
    assert.deepEqual(a.writes, [['1', '2']]);
    assert.deepEqual(b.writes, [['1']]);
  });

  test('a long pass is written in slices, with turns between them', async () => {
    const outbox = new Outbox(1 << 20, { turnEnd: new TurnEnd(), sliceMs: 1, awaiting: () => false, now: steppingClock(2) });
    const conns = Array.from({ length: 200 }, () => connection(outbox));
    for (const c of conns) c.conn.send(frame('m'));
    await nextTurn();
    const afterOne = conns.filter((c) => c.writes.length > 0).length;
    assert.ok(afterOne > 0 && afterOne < conns.length, `one slice wrote ${afterOne} of ${conns.length}`);
    const turns = await turnsUntil(() => conns.every((c) => c.writes.length > 0));
    assert.ok(turns >= 2, `the rest took ${turns} more turns`);
    assert.ok(conns.every((c) => c.writes.length === 1 && c.writes[0]!.join() === 'm'));
  });

  test('a frame sent between slices joins the rest of the pass and reaches the written ones after it, in order', async () => {
    const outbox = new Outbox(1 << 20, { turnEnd: new TurnEnd(), sliceMs: 1, awaiting: () => false, now: steppingClock(2) });
    const conns = Array.from({ length: 200 }, () => connection(outbox));
    for (const c of conns) c.conn.send(frame('a'));
    await nextTurn();
    const written = new Set(conns.filter((c) => c.writes.length > 0));
    assert.ok(written.size > 0 && written.size < conns.length);
    for (const c of conns) c.conn.send(frame('b'));
    await turnsUntil(() => conns.every((c) => c.writes.flat().length === 2));
    for (const c of conns) {
      assert.deepEqual(c.writes.flat(), ['a', 'b'], 'every connection gets both, in order');
      // Not yet written when b came: one write with both; written before: a second write.
      assert.deepEqual(c.writes.map((w) => w.length), written.has(c) ? [1, 1] : [2]);
    }
  });

  test('with frames arriving every turn, no connection is left behind and none sees them out of order', async () => {
    const outbox = new Outbox(1 << 20, { turnEnd: new TurnEnd(), sliceMs: 1, awaiting: () => false, now: steppingClock(2) });
    const conns = Array.from({ length: 1000 }, () => connection(outbox));
    const sent = 300;
    for (let n = 0; n < sent; n++) {
      for (const c of conns) c.conn.send(frame(String(n)));
      await nextTurn();
    }
    await turnsUntil(() => conns.every((c) => c.writes.flat().length === sent));
    const expected = Array.from({ length: sent }, (_, n) => String(n));
    for (const c of conns) assert.deepEqual(c.writes.flat(), expected);
    // Round robin: 16 connections per slice, 1,000 connections, so each is written about
    // every 60 turns, with the frames of those turns together.
    const mostWrites = Math.max(...conns.map((c) => c.writes.length));
    assert.ok(mostWrites <= sent / 20, `a connection was written ${mostWrites} times for ${sent} frames`);
  });

  test('while answers are awaited the slices are shorter', async () => {
    const firstSlice = async (awaiting: boolean): Promise<number> => {
      const outbox = new Outbox(1 << 20, { turnEnd: new TurnEnd(), sliceMs: 1, awaitingSliceMs: 0.25, awaiting: () => awaiting, now: steppingClock(0.05) });
      const conns = Array.from({ length: 2000 }, () => connection(outbox));
      for (const c of conns) c.conn.send(frame('m'));
      await nextTurn();
      const written = conns.filter((c) => c.writes.length > 0).length;
      await turnsUntil(() => conns.every((c) => c.writes.length > 0));
      return written;
    };
    const normal = await firstSlice(false);
    const awaiting = await firstSlice(true);
    assert.ok(awaiting < normal / 2, `first slice: ${awaiting} connections while awaiting, ${normal} otherwise`);
  });

  test('without a clock past the slice the whole pass goes in one turn', async () => {
    const outbox = new Outbox(1 << 20, { turnEnd: new TurnEnd(), awaiting: () => false, sliceMs: 1, now: () => 0 });
    const conns = Array.from({ length: 500 }, () => connection(outbox));
    for (const c of conns) c.conn.send(frame('x'));
    await nextTurn();
    assert.ok(conns.every((c) => c.writes.length === 1));
  });
});
