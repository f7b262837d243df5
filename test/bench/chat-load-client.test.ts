/**
 * The chat benchmark's load generator must read and count correctly or its numbers mean
 * nothing: its frame scanner against split reads, its handshake and masked frames against a
 * real `ws` server, and its loss / duplicate / order bookkeeping.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocketServer } from 'ws';
import { Recorder } from '../../bench/chat/recorder.js';
import { maskedFrame, OPCODE_TEXT, readUpgradeResponse, scanFrames, upgradeRequest, type UpgradeOutcome } from '../../bench/chat/ws-client-frames.js';

/** An unmasked server text frame (what Parlor sends). */
function serverFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const len = payload.length;
  const header = len < 126 ? Buffer.from([0x81, len]) : Buffer.from([0x81, 126, len >> 8, len & 0xff]);
  return Buffer.concat([header, payload]);
}

test('scanFrames finds every frame whatever the read boundaries', () => {
  const texts = ['a', 'x'.repeat(125), 'y'.repeat(126), '{"Content":"P1.2.3."}', 'z'.repeat(300)];
  const stream = Buffer.concat(texts.map(serverFrame));
  for (let cut = 0; cut <= stream.length; cut++) {
    const seen: string[] = [];
    const visit = (_op: number, b: Buffer, s: number, e: number): void => void seen.push(b.toString('utf8', s, e));
    const first = stream.subarray(0, cut);
    const off = scanFrames(first, first.length, visit);
    const rest = Buffer.concat([first.subarray(off), stream.subarray(cut)]);
    assert.equal(scanFrames(rest, rest.length, visit), rest.length, `cut at ${cut}`);
    assert.deepEqual(seen, texts, `cut at ${cut}`);
  }
});

test('scanFrames rejects a masked server frame', () => {
  const frame = maskedFrame(OPCODE_TEXT, Buffer.from('hi'));
  assert.equal(scanFrames(frame, frame.length, () => undefined), -1);
});

async function rawExchange(echoProtocol: boolean): Promise<{ outcome: UpgradeOutcome; reply?: string }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (echoProtocol ? (p.values().next().value ?? false) : false) });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`got ${String(data)}`)));
  await once(wss, 'listening');
  const { port } = wss.address() as AddressInfo;
  const token = 'tok.EN-123_abc';
  const req = upgradeRequest('127.0.0.1', port, token);
  const socket = connect({ host: '127.0.0.1', port });
  try {
    socket.write(req.bytes);
    let buf = Buffer.alloc(0);
    let outcome: UpgradeOutcome = { kind: 'incomplete' };
    while (outcome.kind === 'incomplete') {
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      buf = Buffer.concat([buf, chunk]);
      outcome = readUpgradeResponse(buf, req.expectedAccept, token);
    }
    if (outcome.kind !== 'open') return { outcome };
    socket.write(maskedFrame(OPCODE_TEXT, Buffer.from('{"n":1}')));
    let pending = outcome.rest;
    for (;;) {
      let reply: string | undefined;
      const off = scanFrames(pending, pending.length, (_op, b, s, e) => (reply = b.toString('utf8', s, e)));
      if (reply !== undefined) return { outcome, reply };
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      pending = Buffer.concat([pending.subarray(off), chunk]);
    }
  } finally {
    socket.destroy();
    wss.close();
  }
}

test('the handshake offers the token as sub-protocol and masked frames reach a real ws server', async () => {
  const { outcome, reply } = await rawExchange(true);
  assert.equal(outcome.kind, 'open');
  assert.equal(reply, 'got {"n":1}');
});

test('a server that does not echo the token is refused', async () => {
  const { outcome } = await rawExchange(false);
  assert.deepEqual(outcome, { kind: 'refused', reason: 'sub-protocol not echoed' });
});

test('Recorder counts missing, surplus and out-of-order deliveries per message', () => {
  const rec = new Recorder(1, 2, 4, 3);
  rec.windowStartUs = 1;
  for (let seq = 0; seq < 3; seq++) rec.recordSend(0, 0, seq, 100);
  rec.recordSend(0, 1, 0, 100);
  rec.recordRefusal(0, 1, 0, 429);
  for (let conn = 0; conn < 3; conn++) rec.recordDelivery(conn, 0, 0, 0, 100, 1100);
  rec.recordDelivery(0, 0, 0, 2, 100, 1200);
  rec.recordDelivery(0, 0, 0, 1, 100, 1300);
  rec.recordDelivery(1, 0, 0, 2, 100, 1200);
  rec.recordDelivery(1, 0, 0, 2, 100, 1250);
  // 3 connections: seq 0 → 3, seq 1 → 1 (2 missing), seq 2 → 3 by count, but connection 1 got
  // it twice and connection 2 never: the count hides that, the per-sender order check does not
  // (as it catches connection 0 reading seq 1 after seq 2). The refused message expects nothing.
  assert.deepEqual(rec.tally([3]), { missing: 2, surplus: 0 });
  assert.equal(rec.outOfOrder, 2);
  assert.deepEqual([...rec.errors], [[429, 1]]);
  // Latencies 1000 ×3, 1100 ×2, 1150, 1200 µs: the median is in the 1.1–1.2 ms bucket.
  assert.equal(rec.percentileMs(50), 1.2);
  assert.equal(rec.percentileMs(100), 1.3);
});

test('Recorder counts an untimed delivery (a publisher\'s own echo) without timing it', () => {
  const rec = new Recorder(1, 1, 2, 2);
  rec.windowStartUs = 1;
  rec.recordSend(0, 0, 0, 100);
  rec.recordDelivery(0, 0, 0, 0, 100, 200, false);
  assert.ok(Number.isNaN(rec.percentileMs(50)));
  rec.recordDelivery(1, 0, 0, 0, 100, 5100);
  assert.equal(rec.percentileMs(50), 5.1);
  assert.equal(rec.deliveriesInWindow, 2);
  assert.deepEqual(rec.tally([2]), { missing: 0, surplus: 0 });
});
