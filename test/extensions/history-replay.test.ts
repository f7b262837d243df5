/**
 * History and replay end to end, through raw WebSockets, the official client, the JS SDK and
 * Parlor's JS client: late joiners get the last R kept messages in order then
 * `parlor:replay-end` then live frames; a dropped client's own reconnect fills its gap exactly
 * once; deleted messages leave history; lowering `parlor:history` trims at once.
 */
import { CreateRoomCommand, DeleteMessageCommand, TagResourceCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { ParlorClient } from '../../src/client/index.js';
import { ALL_CAPABILITIES, chatToken, connected, DeleteMessageRequest, officialClient, RawClient, SendMessageRequest, waitFor, type Frame } from '../helpers/chat.js';
import { serverPerFile } from '../helpers/server.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const server = serverPerFile();
const parlor = () => new ParlorClient({ endpoint: server.parlor.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });

async function room(tags: Record<string, string>, maximumMessageRatePerSecond = 10): Promise<string> {
  return (await server.client().send(new CreateRoomCommand({ tags, maximumMessageRatePerSecond }))).arn!;
}

async function join(roomArn: string, userId: string): Promise<RawClient> {
  return RawClient.open(server, (await chatToken(server.client(), roomArn, userId, { capabilities: ALL_CAPABILITIES, attributes: { role: 'viewer' } })).token!);
}

/** Sends one message and resolves to the MESSAGE frame the sender got back. */
async function say(client: RawClient, content: string): Promise<Frame> {
  client.send({ Action: 'SEND_MESSAGE', RequestId: `req-${content}`, Content: content });
  const frame = await client.byRequest(`req-${content}`);
  assert.equal(frame.Type, 'MESSAGE', JSON.stringify(frame));
  return frame;
}

const isReplayEnd = (f: Frame) => f.Type === 'EVENT' && f['EventName'] === 'parlor:replay-end';

test('raw WebSocket: a late joiner gets the last R messages as sent, oldest first, then replay-end, then live ones', async () => {
  const roomArn = await room({ 'parlor:history': '20', 'parlor:replay': '3' });
  const alice = await join(roomArn, 'alice');
  const sent: Frame[] = [];
  for (const c of ['m1', 'm2', 'm3', 'm4', 'm5']) sent.push(await say(alice, c));
  const bob = await join(roomArn, 'bob');
  await bob.next(isReplayEnd);
  const live = await say(alice, 'm6');
  await bob.next((f) => f.Id === live.Id);
  const frames = bob.frames;
  assert.deepEqual(frames.map((f) => f['Content'] ?? f['EventName']), ['m3', 'm4', 'm5', 'parlor:replay-end', 'm6']);
  for (let i = 0; i < 3; i++) {
    const original = sent[i + 2]!;
    assert.deepEqual(frames[i], { ...original, Historical: true }, 'the delivered frame with Historical: true');
  }
  assert.deepEqual(frames[3]!['Attributes'], {});
  assert.equal(frames[4]!['Historical'], undefined);
  for (const c of [alice, bob]) c.ws.close();
});

test('replay-end comes first when nothing is kept; no replay frames at all without parlor:replay', async () => {
  const empty = await room({ 'parlor:replay': '10' });
  const first = await join(empty, 'carol');
  assert.ok(isReplayEnd(await first.next(() => true)));
  const plain = await room({ 'parlor:history': '10' });
  const talker = await join(plain, 'dave');
  await say(talker, 'kept but not replayed');
  const late = await join(plain, 'erin');
  const live = await say(talker, 'live');
  await late.next((f) => f.Id === live.Id);
  assert.deepEqual(late.frames.map((f) => f['Content']), ['live']);
  for (const c of [first, talker, late]) c.ws.close();
});

test('deleted messages (DELETE_MESSAGE and the DeleteMessage API) are neither replayed nor listed', async () => {
  const roomArn = await room({ 'parlor:history': '10', 'parlor:replay': '10' });
  const mod = await join(roomArn, 'mod');
  const a = await say(mod, 'a');
  const b = await say(mod, 'b');
  const c = await say(mod, 'c');
  mod.send({ Action: 'DELETE_MESSAGE', RequestId: 'del-a', Id: a.Id, Reason: 'spam' });
  await mod.byRequest('del-a');
  await server.client().send(new DeleteMessageCommand({ roomIdentifier: roomArn, id: c.Id }));
  await waitFor('the API delete', () => mod.frames.find((f) => f['EventName'] === 'aws:DELETE_MESSAGE' && (f['Attributes'] as Record<string, string>)['MessageId'] === c.Id));
  assert.deepEqual((await parlor().listMessages({ roomIdentifier: roomArn })).messages.map((m) => m.id), [b.Id]);
  const late = await join(roomArn, 'late');
  await late.next(isReplayEnd);
  assert.deepEqual(late.frames.map((f) => f['Content'] ?? f['EventName']), ['b', 'parlor:replay-end']);
  for (const x of [mod, late]) x.ws.close();
});

test('lowering parlor:history trims at once; raising it keeps what is left', async () => {
  const roomArn = await room({ 'parlor:history': '5' });
  const talker = await join(roomArn, 'talker');
  for (const c of ['1', '2', '3', '4', '5', '6', '7']) await say(talker, c);
  const contents = async () => (await parlor().listMessages({ roomIdentifier: roomArn })).messages.map((m) => m.content);
  assert.deepEqual(await contents(), ['7', '6', '5', '4', '3']);
  await server.client().send(new TagResourceCommand({ resourceArn: roomArn, tags: { 'parlor:history': '2' } }));
  assert.deepEqual(await contents(), ['7', '6']);
  await server.client().send(new TagResourceCommand({ resourceArn: roomArn, tags: { 'parlor:history': '1000' } }));
  await say(talker, '8');
  assert.deepEqual(await contents(), ['8', '7', '6']);
  talker.ws.close();
});

test('official client: a late joiner sees the backlog in order, the replay-end event, then live messages', async () => {
  const roomArn = await room({ 'parlor:history': '50', 'parlor:replay': '2' });
  const talker = await join(roomArn, 'talker');
  for (const c of ['old', 'older', 'recent-1', 'recent-2']) await say(talker, c);
  const late = officialClient(server, roomArn, 'late', { capabilities: ['SEND_MESSAGE'] });
  const seen: string[] = [];
  late.room.addListener('message', (m) => seen.push(m.content));
  late.room.addListener('event', (e) => seen.push(`event:${e.eventName}`));
  try {
    await connected(late.room);
    await waitFor('replay-end', () => (seen.includes('event:parlor:replay-end') ? true : undefined));
    await say(talker, 'live-1');
    await waitFor('live', () => (seen.includes('live-1') ? true : undefined));
    assert.deepEqual(seen, ['recent-1', 'recent-2', 'event:parlor:replay-end', 'live-1']);
  } finally {
    late.room.disconnect();
    talker.ws.close();
  }
});

test('official client: after a drop, its own reconnect fills the gap; every message reaches its listener exactly once', async () => {
  const roomArn = await room({ 'parlor:history': '100', 'parlor:replay': '50' });
  const proxy = await startTcpProxy(server.parlor.port);
  const viewer = officialClient(server, roomArn, 'viewer', { capabilities: ['SEND_MESSAGE'] }, proxy.url);
  const seen: string[] = [];
  viewer.room.addListener('message', (m) => seen.push(m.content));
  const talker = await join(roomArn, 'talker');
  try {
    await connected(viewer.room);
    for (const c of ['a1', 'a2', 'a3']) await say(talker, c);
    await waitFor('before the drop', () => (seen.length === 3 ? true : undefined));
    proxy.dropAll();
    // While the viewer is away (or reconnecting), the room goes on.
    for (const c of ['b1', 'b2', 'b3', 'b4']) await say(talker, c);
    await waitFor('reconnected', () => (viewer.tokensFetched() === 2 && viewer.room.state === 'connected' ? true : undefined));
    for (const c of ['c1', 'c2']) await say(talker, c);
    const all = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b4', 'c1', 'c2'];
    await waitFor('every message', () => (seen.length >= all.length && seen.includes('c2') ? true : undefined));
    assert.deepEqual(seen, all);
  } finally {
    viewer.room.disconnect();
    await waitFor('client disconnected', () => (viewer.room.state === 'disconnected' ? true : undefined));
    await proxy.close();
    talker.ws.close();
  }
});

test('official client: deleting a replayed message through DeleteMessageRequest removes it from history', async () => {
  const roomArn = await room({ 'parlor:history': '10', 'parlor:replay': '10' });
  const talker = await join(roomArn, 'talker');
  const gone = await say(talker, 'to delete');
  await say(talker, 'to keep');
  const mod = officialClient(server, roomArn, 'mod', { capabilities: ['DELETE_MESSAGE'] });
  const replayed: string[] = [];
  mod.room.addListener('message', (m) => replayed.push(m.id));
  try {
    await connected(mod.room);
    await waitFor('the replay', () => (replayed.length === 2 ? true : undefined));
    await mod.room.deleteMessage(new DeleteMessageRequest(gone.Id, 'oops'));
    assert.deepEqual((await parlor().listMessages({ roomIdentifier: roomArn })).messages.map((m) => m.content), ['to keep']);
  } finally {
    mod.room.disconnect();
    talker.ws.close();
  }
});

test('50 clients connecting while 10 others send: each sees a gapless, duplicate-free tail of the room', async () => {
  const roomArn = await room({ 'parlor:history': '1000', 'parlor:replay': '100' }, 100);
  const observer = await join(roomArn, 'observer');
  await observer.next(isReplayEnd);
  const senders = await Promise.all(Array.from({ length: 10 }, (_, i) => join(roomArn, `sender-${i}`)));
  for (const s of senders) await s.next(isReplayEnd);
  const PER_SENDER = 15;
  const sending = Promise.all(
    senders.map(async (s, i) => {
      // Paced under the per-connection limit of 10 requests/s, which a fast machine would reach.
      for (let n = 0; n < PER_SENDER; n++) {
        await say(s, `s${i}-${n}`);
        await delay(120);
      }
    }),
  );
  const joiners: RawClient[] = [];
  for (let i = 0; i < 50; i++) {
    joiners.push(await join(roomArn, `joiner-${i}`));
  }
  await sending;
  const total = senders.length * PER_SENDER;
  const order = (await waitFor('the observer saw all', () => {
    const m = observer.frames.filter((f) => f.Type === 'MESSAGE');
    return m.length === total ? m : undefined;
  }, 30_000)).map((f) => f.Id);
  const last = order[order.length - 1]!;
  for (const [i, j] of joiners.entries()) {
    await j.next((f) => f.Id === last, 0, 30_000);
    const frames = j.frames;
    const end = frames.findIndex(isReplayEnd);
    assert.ok(end >= 0, `joiner ${i} got replay-end`);
    assert.ok(frames.slice(0, end).every((f) => f.Type === 'MESSAGE' && f['Historical'] === true), `joiner ${i}: only history before replay-end`);
    assert.ok(frames.slice(end + 1).every((f) => f['Historical'] === undefined), `joiner ${i}: nothing historical after replay-end`);
    const ids = frames.filter((f) => f.Type === 'MESSAGE').map((f) => f.Id);
    const from = order.indexOf(ids[0]!);
    assert.ok(from >= 0, `joiner ${i}: its first message is the room's`);
    assert.deepEqual(ids, order.slice(from), `joiner ${i}: a gapless tail without duplicates`);
  }
  for (const c of [observer, ...senders, ...joiners]) c.ws.close();
});
