import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chatToken, connected, createRoom, officialClient, RawClient, SendMessageRequest, waitFor, type ChatRoomType } from '../helpers/chat.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// The server's clock runs `skew` ms ahead of real time; moving it past a session's end makes
// the expiry tick (every 20 ms here) end that session without waiting a minute.
let skew = 0;
let server: TestServer;
const rooms: ChatRoomType[] = [];
before(async () => {
  server = await startTestServer({}, { now: () => Date.now() + skew, sessionTickMs: 20 });
});
after(async () => {
  for (const r of rooms) r.disconnect();
  await server.stop();
});

test('at session end the server sends ERROR 401 and closes cleanly', async () => {
  const sdk = server.client();
  const roomArn = await createRoom(sdk);
  const token = await chatToken(sdk, roomArn, 'raw', { sessionDurationInMinutes: 1 });
  assert.equal(token.tokenExpirationTime?.getTime(), token.sessionExpirationTime?.getTime());
  const raw = await RawClient.open(server, token.token!);
  skew += 61_000;
  const code = await raw.waitClosed();
  assert.equal(code, 4001);
  assert.equal(raw.frames.length, 1);
  const frame = raw.frames[0]!;
  assert.deepEqual(Object.keys(frame).sort(), ['ErrorCode', 'ErrorMessage', 'Id', 'RequestId', 'Type']);
  assert.equal(frame.Type, 'ERROR');
  assert.equal(frame['ErrorCode'], 401);
  assert.equal(frame['RequestId'], '');
});

test('the official client gets the 401 at session end and reconnects with a fresh token', async () => {
  const roomArn = await createRoom(server.client());
  const alice = officialClient(server, roomArn, 'alice', { capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 2 });
  rooms.push(alice.room);
  const disconnects: string[] = [];
  alice.room.addListener('disconnect', (r) => disconnects.push(r));
  await connected(alice.room);
  assert.equal(alice.tokensFetched(), 1);
  skew += 121_000;
  await waitFor('reconnect after 401', () => (alice.tokensFetched() >= 2 && alice.room.state === 'connected' ? true : undefined));
  assert.deepEqual(disconnects, []);
  const sent = await alice.room.sendMessage(new SendMessageRequest('new session'));
  assert.equal(sent.content, 'new session');
});
