/** The send pipeline's seams: review (ordering, isolation, deny, rewrite) and chat logging. */
import { CreateRoomCommand, DeleteMessageCommand, DisconnectUserCommand, SendEventCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatLogger, ChatLogRecordType } from '../../src/chat-log/chat-logger.js';
import type { ReviewDecision, ReviewGate, ReviewRequest } from '../../src/review/review-gate.js';
import { chatFixture, chatToken, createRoom, RawClient, waitFor } from '../helpers/chat.js';

/** A review gate the tests steer: content "hold" waits until released, "deny", "rewrite". */
class FakeGate implements ReviewGate {
  readonly requests: ReviewRequest[] = [];
  readonly held: (() => void)[] = [];
  async review(_handler: unknown, _max: number, request: ReviewRequest): Promise<ReviewDecision> {
    this.requests.push(request);
    if (request.Content === 'hold') await new Promise<void>((resolve) => this.held.push(resolve));
    if (request.Content === 'deny') return { kind: 'deny', reason: 'not nice' };
    if (request.Content === 'rewrite') return { kind: 'allow', content: 'rewritten', attributes: { reviewed: 'yes' } };
    return { kind: 'allow', content: request.Content, attributes: request.Attributes };
  }
}

interface Recorded {
  room: string;
  type: ChatLogRecordType;
  payload: string;
  receivedAt: number;
}
const records: Recorded[] = [];
const logger: ChatLogger = {
  record: (room, type, payload, receivedAt) => records.push({ room: room.arn, type, payload, receivedAt }),
  close: async () => {},
};
const gate = new FakeGate();
const fx = chatFixture({}, { review: gate, chatLog: logger });

async function reviewedRoom(): Promise<string> {
  const room = await fx.server.client().send(new CreateRoomCommand({ messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:review' } }));
  return room.arn!;
}

async function join(roomArn: string, userId: string, attributes: Record<string, string> = {}): Promise<RawClient> {
  const token = await chatToken(fx.server.client(), roomArn, userId, { capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'], attributes });
  const client = await RawClient.open(fx.server, token.token!);
  fx.clients.push(client);
  return client;
}

test('a held review keeps its sender\'s order and does not delay another room', async () => {
  const slowRoom = await reviewedRoom();
  const otherRoom = await reviewedRoom();
  const a = await join(slowRoom, 'a');
  const b = await join(otherRoom, 'b');
  a.send({ Action: 'SEND_MESSAGE', RequestId: '1', Content: 'hold' });
  a.send({ Action: 'SEND_MESSAGE', RequestId: '2', Content: 'after' });
  await waitFor('the review is held', () => (gate.held.length === 1 ? true : undefined));
  b.send({ Action: 'SEND_MESSAGE', RequestId: 'b1', Content: 'meanwhile' });
  assert.equal((await b.byRequest('b1')).Type, 'MESSAGE');
  assert.equal(a.frames.length, 0, 'nothing of a\'s is out while its first message is in review');
  gate.held.shift()!();
  await a.byRequest('2');
  assert.deepEqual(a.frames.map((f) => f['Content']), ['hold', 'after']);
});

test('the review request carries the message id, room, attributes and sender', async () => {
  const roomArn = await reviewedRoom();
  const a = await join(roomArn, 'alice', { tier: 'gold' });
  a.send({ Action: 'SEND_MESSAGE', RequestId: 'q', Content: 'check me', Attributes: { k: 'v' } });
  const delivered = await a.byRequest('q');
  const request = gate.requests.find((r) => r.Content === 'check me')!;
  assert.equal(request.MessageId, delivered.Id);
  assert.equal(request.RoomArn, roomArn);
  assert.deepEqual(request.Attributes, { k: 'v' });
  assert.equal(request.Sender.UserId, 'alice');
  assert.deepEqual(request.Sender.Attributes, { tier: 'gold' });
  assert.equal(request.Sender.Ip, '127.0.0.1');
});

test('deny answers 406 to the sender only; a rewrite is delivered as rewritten', async () => {
  const roomArn = await reviewedRoom();
  const a = await join(roomArn, 'a');
  const b = await join(roomArn, 'b');
  a.send({ Action: 'SEND_MESSAGE', RequestId: 'd', Content: 'deny' });
  const error = await a.byRequest('d');
  assert.equal(error['ErrorCode'], 406);
  assert.match(String(error['ErrorMessage']), /not nice/);
  a.send({ Action: 'SEND_MESSAGE', RequestId: 'r', Content: 'rewrite' });
  const seen = await b.next((f) => f.Type === 'MESSAGE');
  assert.equal(seen['Content'], 'rewritten');
  assert.deepEqual(seen['Attributes'], { reviewed: 'yes' });
  assert.equal(b.frames.length, 1, 'b never saw the denied message');
});

test('rooms without a review handler do not call the gate', async () => {
  const roomArn = await createRoom(fx.server.client());
  const a = await join(roomArn, 'a');
  const before = gate.requests.length;
  a.send({ Action: 'SEND_MESSAGE', RequestId: 'n', Content: 'deny' });
  assert.equal((await a.byRequest('n')).Type, 'MESSAGE');
  assert.equal(gate.requests.length, before);
});

test('every delivered MESSAGE and EVENT is logged once, exactly as sent; errors are not', async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk);
  const a = await join(roomArn, 'a');
  const from = records.length;
  a.send({ Action: 'SEND_MESSAGE', RequestId: 'm', Content: 'log me' });
  const message = await a.byRequest('m');
  a.send({ Action: 'DELETE_MESSAGE', RequestId: 'x', Id: message.Id });
  await a.byRequest('x');
  a.send({ Action: 'SEND_MESSAGE', RequestId: 'bad' });
  await a.byRequest('bad');
  const ev = await sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'app' }));
  await a.next((f) => f.Id === ev.id);
  const del = await sdk.send(new DeleteMessageCommand({ roomIdentifier: roomArn, id: message.Id }));
  await a.next((f) => f.Id === del.id);
  await sdk.send(new DisconnectUserCommand({ roomIdentifier: roomArn, userId: 'a' }));
  await a.waitClosed();
  const mine = records.slice(from);
  assert.deepEqual(mine.map((r) => [r.room, r.type]), [roomArn, roomArn, roomArn, roomArn, roomArn].map((r, i) => [r, i === 0 ? 'MESSAGE' : 'EVENT']));
  const framesOut = a.frames.filter((f) => f.Type !== 'ERROR').map((f) => JSON.stringify(f));
  assert.deepEqual(mine.map((r) => r.payload), framesOut);
  assert.ok(mine.every((r) => r.receivedAt === fx.clock));
});
