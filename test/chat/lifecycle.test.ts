/** Heartbeats, the frame size limit and graceful shutdown. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { chatToken, createRoom, RawClient, waitFor } from '../helpers/chat.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({}, { heartbeatMs: 50 });
});
after(() => server.stop());

async function openWith(options: { autoPong: boolean }): Promise<RawClient> {
  const roomArn = await createRoom(server.client());
  const token = (await chatToken(server.client(), roomArn, 'u')).token!;
  const ws = new WebSocket(server.parlor.chatUrl, token, options);
  const client = new RawClient(ws);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return client;
}

test('a socket that stops answering pings is reaped; one that answers stays', async () => {
  const deaf = await openWith({ autoPong: false });
  const healthy = await openWith({ autoPong: true });
  let pings = 0;
  healthy.ws.on('ping', () => pings++);
  assert.equal(await deaf.waitClosed(), 1006);
  await waitFor('several heartbeats', () => (pings >= 4 ? true : undefined));
  assert.equal(healthy.closed, false);
  healthy.ws.close();
  await healthy.waitClosed();
});

test('a frame over 16 KiB closes the connection with 1009', async () => {
  const client = await openWith({ autoPong: true });
  client.send({ Action: 'SEND_MESSAGE', Content: 'x'.repeat(17 * 1024) });
  assert.equal(await client.waitClosed(), 1009);
});

test('shutdown sends every chat client away to reconnect: ERROR 401, then close 1012', async () => {
  const own = await startTestServer();
  const roomArn = await createRoom(own.client());
  const client = await RawClient.open(own, (await chatToken(own.client(), roomArn, 'u')).token!);
  await own.stop();
  assert.equal(await client.waitClosed(), 1012);
  assert.equal(client.closeReason, 'Server restarting');
  const error = client.frames.find((f) => f.Type === 'ERROR');
  assert.equal(error?.['ErrorCode'], 401, 'the ERROR 401 that makes the official client reconnect');
  assert.equal(client.frames.indexOf(error!), client.frames.length - 1, 'the last frame before the close');
});
