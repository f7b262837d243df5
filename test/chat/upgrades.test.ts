/** The gateway's side: refused upgrades, room deletion, slow readers, the connection limit. */
import { DeleteRoomCommand, SendEventCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatFixture, chatToken, createRoom, metric, RawClient, upgradeStatus, waitFor } from '../helpers/chat.js';
import { startTestServer } from '../helpers/server.js';

// No heartbeat within a test: a paused reader answers no ping, and on a loaded machine the
// heartbeat would end it (uncounted) before its buffers fill, so the slow-reader drop never came.
const fx = chatFixture({ maxConnections: 5 }, { maxBufferedBytes: 64 * 1024, heartbeatMs: 3_600_000 });

async function open(token: string): Promise<RawClient> {
  const client = await RawClient.open(fx.server, token);
  fx.clients.push(client);
  return client;
}

test('the token is echoed as the sub-protocol and only uses tchar characters', async () => {
  const roomArn = await createRoom(fx.server.client());
  const token = (await chatToken(fx.server.client(), roomArn, 'ü ser/with=odd,chars', { attributes: { 'k y': 'v=1,/' } })).token!;
  assert.match(token, /^[A-Za-z0-9_.-]+$/);
  const client = await open(token);
  assert.equal(client.ws.protocol, token);
  client.ws.close();
  await client.waitClosed();
});

test('refused upgrades answer with a clear HTTP status', async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk);
  assert.equal(await upgradeStatus(fx.server, undefined), 401, 'no token');
  assert.equal(await upgradeStatus(fx.server, 'not-a-token'), 401, 'garbage');
  const good = (await chatToken(sdk, roomArn, 'u')).token!;
  const forged = good.slice(0, good.indexOf('.')) + '.' + 'A'.repeat(43);
  assert.equal(await upgradeStatus(fx.server, forged), 401, 'forged signature');
  assert.equal(await upgradeStatus(fx.server, good), 101, 'first use');
  assert.equal(await upgradeStatus(fx.server, good), 401, 'reused');
  const short = (await chatToken(sdk, roomArn, 'u', { sessionDurationInMinutes: 1 })).token!;
  fx.clock += 60_001;
  assert.equal(await upgradeStatus(fx.server, short), 401, 'expired');
  const orphan = (await chatToken(sdk, roomArn, 'u')).token!;
  await sdk.send(new DeleteRoomCommand({ identifier: roomArn }));
  assert.equal(await upgradeStatus(fx.server, orphan), 404, 'deleted room');
});

test('DeleteRoom sends ERROR 404 and closes the room\'s sockets cleanly', async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk);
  const a = await open((await chatToken(sdk, roomArn, 'a')).token!);
  const b = await open((await chatToken(sdk, roomArn, 'b')).token!);
  await sdk.send(new DeleteRoomCommand({ identifier: roomArn }));
  for (const client of [a, b]) {
    assert.equal(await client.waitClosed(), 4004);
    assert.equal(client.frames.length, 1);
    assert.equal(client.frames[0]!.Type, 'ERROR');
    assert.equal(client.frames[0]!['ErrorCode'], 404);
  }
});

test('a reader that stops reading is dropped; the others get everything', async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk);
  const slow = await open((await chatToken(sdk, roomArn, 'slow')).token!);
  const fast = await open((await chatToken(sdk, roomArn, 'fast')).token!);
  slow.ws.pause();
  const attributes = { blob: 'x'.repeat(1000) };
  let sent = 0;
  // Publish until the server gives up on the slow reader (kernel buffers, then its 64 KiB bound).
  while ((await metric(fx.server, 'parlor_chat_slow_readers_dropped_total')) === 0) {
    assert.ok(sent < 20_000, 'the slow reader was never dropped');
    await Promise.all(Array.from({ length: 50 }, () => sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'load', attributes }))));
    sent += 50;
  }
  slow.ws.resume();
  assert.equal(await slow.waitClosed(), 1006, 'dropped without a close frame');
  assert.ok(slow.frames.length < sent);
  await waitFor('fast reader got every event', () => (fast.frames.length >= sent ? true : undefined), 20_000);
  assert.equal(fast.frames.length, sent);
  assert.equal(fast.closed, false);
});

test('over the connection limit upgrades get 503', async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk);
  await waitFor('earlier tests\' sockets gone', async () => ((await metric(fx.server, 'parlor_chat_connections')) === 1 ? true : undefined));
  const four = [];
  for (let i = 0; i < 4; i++) four.push(await open((await chatToken(sdk, roomArn, `u${i}`)).token!));
  assert.equal(await upgradeStatus(fx.server, (await chatToken(sdk, roomArn, 'extra')).token!), 503);
  four[0]!.ws.close();
  await waitFor('slot freed', async () => ((await metric(fx.server, 'parlor_chat_connections')) === 4 ? true : undefined));
  assert.equal(await upgradeStatus(fx.server, (await chatToken(sdk, roomArn, 'again')).token!), 101);
});

test('unused tokens survive a restart (the signing secret lives in the data directory)', async () => {
  const first = await startTestServer();
  const roomArn = await createRoom(first.client());
  const token = (await chatToken(first.client(), roomArn, 'u')).token!;
  await first.stop(true);
  const second = await startTestServer({ dataDir: first.dataDir });
  try {
    assert.equal(await upgradeStatus(second, token), 101);
  } finally {
    await second.stop();
  }
});

test('a token used before a restart stays used after it (401); a fresh token still connects', async () => {
  const first = await startTestServer();
  const roomArn = await createRoom(first.client());
  const used = (await chatToken(first.client(), roomArn, 'u')).token!;
  const client = await RawClient.open(first, used);
  await first.stop(true);
  await client.waitClosed();
  const second = await startTestServer({ dataDir: first.dataDir });
  try {
    assert.equal(await upgradeStatus(second, used), 401);
    const fresh = (await chatToken(second.client(), roomArn, 'u')).token!;
    assert.equal(await upgradeStatus(second, fresh), 101);
    assert.equal(await upgradeStatus(second, fresh), 401, 'and the fresh one is single-use too');
  } finally {
    await second.stop();
  }
});
