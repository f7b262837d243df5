/**
 * `parlor:slow-mode` through raw WebSockets and the official client: one message per user per
 * S seconds across all of the user's connections; the early one gets ERROR 429 saying when the
 * user may send again; other users are not held back.
 * The server's clock (the rate limiter's too) is frozen in this file; the tests move it.
 */
import { CreateRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatFixture, chatToken, connected, officialClient, RawClient, SendMessageRequest } from '../helpers/chat.js';

const fx = chatFixture();

async function enter(room: string, userId: string): Promise<RawClient> {
  const client = await RawClient.open(fx.server, (await chatToken(fx.server.client(), room, userId, { capabilities: ['SEND_MESSAGE'] })).token!);
  fx.clients.push(client);
  return client;
}

let n = 0;
async function send(client: RawClient): Promise<Record<string, unknown>> {
  const requestId = `r${++n}`;
  client.send({ Action: 'SEND_MESSAGE', RequestId: requestId, Content: requestId });
  return client.byRequest(requestId);
}

test('one message per user per S seconds across two connections of the user; others unaffected', async () => {
  const room = (await fx.server.client().send(new CreateRoomCommand({ tags: { 'parlor:slow-mode': '2' } }))).arn!;
  const [a1, a2, b] = [await enter(room, 'alice'), await enter(room, 'alice'), await enter(room, 'bob')];
  assert.equal((await send(a1)).Type, 'MESSAGE');
  const early = await send(a2);
  assert.equal(early.Type, 'ERROR');
  assert.equal(early['ErrorCode'], 429);
  assert.match(String(early['ErrorMessage']), /slow mode: one message every 2 seconds; you may send again in 2 seconds/i);
  assert.equal((await send(b)).Type, 'MESSAGE', 'bob has his own slot');
  assert.equal((await send(a1)).Type, 'ERROR', 'the first connection is held back too');
  fx.clock += 2000;
  assert.equal((await send(a2)).Type, 'MESSAGE');
});

test('the official client’s sendMessage rejects with errorCode 429', async () => {
  const room = (await fx.server.client().send(new CreateRoomCommand({ tags: { 'parlor:slow-mode': '30' } }))).arn!;
  const { room: chat } = officialClient(fx.server, room, 'carol', { capabilities: ['SEND_MESSAGE'] });
  await connected(chat);
  try {
    await chat.sendMessage(new SendMessageRequest('first'));
    const err = (await chat.sendMessage(new SendMessageRequest('second')).then(
      () => undefined,
      (e: unknown) => e,
    )) as { errorCode?: number; errorMessage?: string } | undefined;
    assert.equal(err?.errorCode, 429);
    assert.match(err?.errorMessage ?? '', /may send again in/);
  } finally {
    chat.disconnect();
  }
});
