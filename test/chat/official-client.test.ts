import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ALL_CAPABILITIES, connected, createRoom, officialClient, SendMessageRequest, waitFor, type ChatRoomType } from '../helpers/chat.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

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
