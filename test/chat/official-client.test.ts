import { SendEventCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ALL_CAPABILITIES,
  connected,
  createRoom,
  DeleteMessageRequest,
  DisconnectUserRequest,
  officialClient,
  SendMessageRequest,
  waitFor,
  type ChatRoomType,
} from '../helpers/chat.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

let server: TestServer;
const rooms: ChatRoomType[] = [];
before(async () => {
  server = await startTestServer();
});
after(async () => {
  for (const r of rooms) r.disconnect();
  await server.stop();
});

function client(roomArn: string, userId: string, options: Parameters<typeof officialClient>[3] = {}) {
  const c = officialClient(server, roomArn, userId, options);
  rooms.push(c.room);
  return c;
}

test('the official client connects, sends with attributes, and both sender and others receive', async () => {
  const roomArn = await createRoom(server.client());
  const alice = client(roomArn, 'alice', { capabilities: ['SEND_MESSAGE'], attributes: { displayName: 'Alice' } });
  const bob = client(roomArn, 'bob', { capabilities: ALL_CAPABILITIES });
  await connected(alice.room);
  await connected(bob.room);
  const received: { content: string; attributes?: Record<string, string>; senderId: string; senderAttributes?: Record<string, string> }[] = [];
  bob.room.addListener('message', (m) => received.push({ content: m.content, attributes: m.attributes, senderId: m.sender.userId, senderAttributes: m.sender.attributes }));
  const sent = await alice.room.sendMessage(new SendMessageRequest('hello 👋', { color: 'blue' }));
  assert.equal(sent.content, 'hello 👋');
  assert.deepEqual(sent.attributes, { color: 'blue' });
  assert.match(sent.id, /^[a-zA-Z0-9]{12}$/);
  const got = await waitFor('bob receives', () => received[0]);
  assert.deepEqual(got, { content: 'hello 👋', attributes: { color: 'blue' }, senderId: 'alice', senderAttributes: { displayName: 'Alice' } });
});

test('sendMessage without the capability is rejected with 403', async () => {
  const roomArn = await createRoom(server.client());
  const viewer = client(roomArn, 'viewer');
  await connected(viewer.room);
  await assert.rejects(viewer.room.sendMessage(new SendMessageRequest('hi')), (err: { errorCode: number }) => err.errorCode === 403);
});

test('deleteMessage reaches everyone as messageDelete, and the promise resolves', async () => {
  const roomArn = await createRoom(server.client());
  const mod = client(roomArn, 'mod', { capabilities: ALL_CAPABILITIES });
  const viewer = client(roomArn, 'viewer');
  await connected(mod.room);
  await connected(viewer.room);
  const deletes: { messageId: string; reason?: string }[] = [];
  viewer.room.addListener('messageDelete', (e) => deletes.push({ messageId: e.messageId, reason: e.reason }));
  const sent = await mod.room.sendMessage(new SendMessageRequest('oops'));
  const ev = await mod.room.deleteMessage(new DeleteMessageRequest(sent.id, 'spam'));
  assert.equal(ev.messageId, sent.id);
  assert.deepEqual(await waitFor('viewer sees the delete', () => deletes[0]), { messageId: sent.id, reason: 'spam' });
});

test('disconnectUser: the target sees userDisconnect, then is disconnected with serverDisconnect', async () => {
  const roomArn = await createRoom(server.client());
  const mod = client(roomArn, 'mod', { capabilities: ALL_CAPABILITIES });
  const troll = client(roomArn, 'troll', { capabilities: ['SEND_MESSAGE'] });
  await connected(mod.room);
  await connected(troll.room);
  const seen: string[] = [];
  troll.room.addListener('userDisconnect', (e) => seen.push(`userDisconnect:${e.userId}:${e.reason ?? ''}`));
  troll.room.addListener('disconnect', (reason) => seen.push(`disconnect:${reason}`));
  const ev = await mod.room.disconnectUser(new DisconnectUserRequest('troll', 'be nice'));
  assert.equal(ev.userId, 'troll');
  await waitFor('troll disconnected', () => (seen.length >= 2 ? true : undefined));
  assert.deepEqual(seen, ['userDisconnect:troll:be nice', 'disconnect:serverDisconnect']);
  assert.equal(troll.room.state, 'disconnected');
  assert.equal(mod.room.state, 'connected');
});

test('custom events from SendEvent reach the event listener', async () => {
  const sdk = server.client();
  const roomArn = await createRoom(sdk);
  const viewer = client(roomArn, 'viewer');
  await connected(viewer.room);
  const events: { id: string; eventName: string; attributes?: Record<string, string> }[] = [];
  viewer.room.addListener('event', (e) => events.push({ id: e.id, eventName: e.eventName, attributes: e.attributes }));
  const out = await sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'poll:start', attributes: { question: 'tea?' } }));
  assert.deepEqual(await waitFor('event', () => events[0]), { id: out.id, eventName: 'poll:start', attributes: { question: 'tea?' } });
});

test('after an abrupt drop the client reconnects with a new token and keeps chatting', async () => {
  const proxy = await startTcpProxy(server.parlor.port);
  const roomArn = await createRoom(server.client());
  const alice = officialClient(server, roomArn, 'alice', { capabilities: ['SEND_MESSAGE'] }, proxy.url);
  try {
    const states: string[] = [];
    alice.room.addListener('connecting', () => states.push('connecting'));
    alice.room.addListener('connect', () => states.push('connect'));
    alice.room.addListener('disconnect', (r) => states.push(`disconnect:${r}`));
    await connected(alice.room);
    assert.equal(alice.tokensFetched(), 1);
    proxy.dropAll();
    await waitFor('reconnected', () => (alice.tokensFetched() === 2 && alice.room.state === 'connected' ? true : undefined));
    assert.equal(proxy.connectionsSeen(), 2);
    assert.ok(!states.some((s) => s.startsWith('disconnect')), `no disconnect event expected, got ${states.join(',')}`);
    const sent = await alice.room.sendMessage(new SendMessageRequest('still here'));
    assert.equal(sent.content, 'still here');
  } finally {
    // Before the proxy goes, or the client would keep retrying through it.
    alice.room.disconnect();
    await waitFor('client disconnected', () => (alice.room.state === 'disconnected' ? true : undefined));
    await proxy.close();
  }
});
