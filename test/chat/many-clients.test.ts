/** One room, many clients, several senders: nothing lost, nothing duplicated, order per sender kept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatFixture, chatToken, createRoom, RawClient, waitFor } from '../helpers/chat.js';

// A frozen clock moved one second per round, so each round is exactly within the rate limits.
const fx = chatFixture();

const CLIENTS = 50;
const SENDERS = 10;
const ROUNDS = 3;
const PER_ROUND = 10; // per sender: its per-connection rate; 10 senders × 10 = the room's 100/s

test(`${CLIENTS} clients, ${SENDERS} senders, ${SENDERS * PER_ROUND * ROUNDS} messages`, async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk, { maximumMessageRatePerSecond: 100 });
  for (let i = 0; i < CLIENTS; i++) {
    const token = await chatToken(sdk, roomArn, `user${i}`, { capabilities: i < SENDERS ? ['SEND_MESSAGE'] : [] });
    fx.clients.push(await RawClient.open(fx.server, token.token!));
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let s = 0; s < SENDERS; s++) {
      for (let k = 0; k < PER_ROUND; k++) fx.clients[s]!.send({ Action: 'SEND_MESSAGE', RequestId: `${s}-${round}-${k}`, Content: String(round * PER_ROUND + k) });
    }
    const expected = SENDERS * PER_ROUND * (round + 1);
    await waitFor(`round ${round} delivered`, () => (fx.clients.every((c) => c.frames.length >= expected) ? true : undefined), 10_000);
    fx.clock += 1000;
  }
  const total = SENDERS * PER_ROUND * ROUNDS;
  for (const client of fx.clients) {
    assert.equal(client.frames.length, total);
    assert.ok(client.frames.every((f) => f.Type === 'MESSAGE'), 'no errors');
    assert.equal(new Set(client.frames.map((f) => f.Id)).size, total, 'no duplicates');
    const bySender = new Map<string, number[]>();
    for (const f of client.frames) {
      const sender = (f['Sender'] as { UserId: string }).UserId;
      bySender.set(sender, [...(bySender.get(sender) ?? []), Number(f['Content'])]);
    }
    assert.equal(bySender.size, SENDERS);
    for (const seq of bySender.values()) assert.deepEqual(seq, Array.from({ length: PER_ROUND * ROUNDS }, (_, i) => i));
  }
  // Every client saw the same sequence.
  const order = fx.clients[0]!.frames.map((f) => f.Id);
  for (const client of fx.clients) assert.deepEqual(client.frames.map((f) => f.Id), order);
});
