/** What the official client hides: exact frames, error codes, limits (raw `ws` clients). */
import { UpdateRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_CAPABILITIES, chatFixture, chatToken, createRoom, RawClient, type Frame, type TokenOptions } from '../helpers/chat.js';

// A frozen clock, moved only by the tests: rate limits become exact.
const fx = chatFixture();

async function join(roomArn: string, userId: string, options: TokenOptions = { capabilities: ALL_CAPABILITIES }): Promise<RawClient> {
  const token = await chatToken(fx.server.client(), roomArn, userId, options);
  const client = await RawClient.open(fx.server, token.token!);
  fx.clients.push(client);
  return client;
}

const keys = (f: object) => Object.keys(f).sort();
const ID = /^[a-zA-Z0-9]{12}$/;

test('MESSAGE frames have exactly the documented keys, for the sender and the others', async () => {
  const roomArn = await createRoom(fx.server.client());
  const alice = await join(roomArn, 'alice', { capabilities: ['SEND_MESSAGE'], attributes: { role: 'host' } });
  const bob = await join(roomArn, 'bob', { capabilities: [] });
  alice.send({ Action: 'SEND_MESSAGE', RequestId: 'r1', Content: 'hi', Attributes: { a: '1' } });
  const mine = await alice.byRequest('r1');
  const theirs = await bob.next((f) => f.Type === 'MESSAGE');
  assert.deepEqual(theirs, mine);
  assert.deepEqual(keys(mine), ['Attributes', 'Content', 'Id', 'RequestId', 'SendTime', 'Sender', 'Type']);
  assert.match(mine.Id, ID);
  assert.equal(mine['SendTime'], new Date(fx.clock).toISOString());
  assert.deepEqual(mine['Sender'], { UserId: 'alice', Attributes: { role: 'host' } });
  assert.deepEqual(mine['Attributes'], { a: '1' });
  // No RequestId, no Attributes: "" and {}; keys are matched case-insensitively.
  alice.send({ action: 'SEND_MESSAGE', content: 'plain' });
  const plain = await bob.next((f) => f['Content'] === 'plain');
  assert.equal(plain['RequestId'], '');
  assert.deepEqual(plain['Attributes'], {});
});

test('DELETE_MESSAGE and DISCONNECT_USER events carry the documented attributes', async () => {
  const roomArn = await createRoom(fx.server.client());
  const mod = await join(roomArn, 'mod');
  const viewer = await join(roomArn, 'viewer', { capabilities: [] });
  mod.send({ Action: 'DELETE_MESSAGE', RequestId: 'd1', Id: 'AbCdEf123456', Reason: 'spam' });
  const del = await mod.byRequest('d1');
  assert.deepEqual(keys(del), ['Attributes', 'EventName', 'Id', 'RequestId', 'SendTime', 'Type']);
  assert.equal(del['EventName'], 'aws:DELETE_MESSAGE');
  assert.deepEqual(del['Attributes'], { MessageId: 'AbCdEf123456', MessageID: 'AbCdEf123456', Reason: 'spam' });
  assert.deepEqual(await viewer.next((f) => f['EventName'] === 'aws:DELETE_MESSAGE'), del);
  mod.send({ Action: 'DISCONNECT_USER', RequestId: 'k1', UserId: 'viewer', Reason: 'bye' });
  const kick = await mod.byRequest('k1');
  assert.equal(kick['EventName'], 'aws:DISCONNECT_USER');
  assert.deepEqual(kick['Attributes'], { UserId: 'viewer', Reason: 'bye' });
  assert.deepEqual(await viewer.next((f) => f['EventName'] === 'aws:DISCONNECT_USER'), kick);
  assert.equal(await viewer.waitClosed(), 1000);
  assert.equal(mod.closed, false);
});

test('each bad action gets its ERROR code, echoing RequestId, with a fresh Id', async () => {
  const roomArn = await createRoom(fx.server.client());
  const user = await join(roomArn, 'user', { capabilities: ['SEND_MESSAGE'] });
  const cases: [Record<string, unknown> | string, string, number][] = [
    ['{not json', '', 400],
    [{ Action: 'DANCE', RequestId: 'e1' }, 'e1', 400],
    [{ Action: 'SEND_MESSAGE', RequestId: 'e2' }, 'e2', 400],
    [{ Action: 'SEND_MESSAGE', RequestId: 'e3', Content: 'x', Attributes: { big: 'x'.repeat(1100) } }, 'e3', 413],
    [{ Action: 'SEND_MESSAGE', RequestId: 'e4', Content: 'x', Attributes: { n: 5 } }, 'e4', 400],
    [{ Action: 'DELETE_MESSAGE', RequestId: 'e5', Id: 'AbCdEf123456' }, 'e5', 403],
    [{ Action: 'DISCONNECT_USER', RequestId: 'e6', UserId: 'x' }, 'e6', 403],
  ];
  for (const [action, requestId, code] of cases) {
    const from = user.frames.length;
    user.ws.send(typeof action === 'string' ? action : JSON.stringify(action));
    const error = await user.next((f) => f.Type === 'ERROR', from);
    assert.deepEqual(keys(error), ['ErrorCode', 'ErrorMessage', 'Id', 'RequestId', 'Type']);
    assert.equal(error['ErrorCode'], code, JSON.stringify(action));
    assert.equal(error['RequestId'], requestId);
    assert.match(error.Id, ID);
  }
  const mod = await join(roomArn, 'mod');
  for (const [action, requestId] of [
    [{ Action: 'DELETE_MESSAGE', RequestId: 'm1' }, 'm1'],
    [{ Action: 'DISCONNECT_USER', RequestId: 'm2' }, 'm2'],
  ] as const) {
    mod.send(action);
    assert.equal((await mod.byRequest(requestId))['ErrorCode'], 400);
  }
  const ids = user.frames.map((f) => f.Id);
  assert.equal(new Set(ids).size, ids.length);
});

test('content length counts code points: 500 emoji pass, 501 characters do not', async () => {
  const roomArn = await createRoom(fx.server.client(), { maximumMessageLength: 500 });
  const user = await join(roomArn, 'user', { capabilities: ['SEND_MESSAGE'] });
  user.send({ Action: 'SEND_MESSAGE', RequestId: 'ok', Content: '😀'.repeat(500) });
  assert.equal((await user.byRequest('ok')).Type, 'MESSAGE');
  user.send({ Action: 'SEND_MESSAGE', RequestId: 'long', Content: 'a'.repeat(501) });
  const error = await user.byRequest('long');
  assert.equal(error.Type, 'ERROR');
  assert.equal(error['ErrorCode'], 400);
});

test('one connection is held to 10 requests per second', async () => {
  const roomArn = await createRoom(fx.server.client(), { maximumMessageRatePerSecond: 100 });
  const user = await join(roomArn, 'user', { capabilities: ['SEND_MESSAGE'] });
  for (let i = 0; i < 11; i++) user.send({ Action: 'SEND_MESSAGE', RequestId: `p${i}`, Content: `m${i}` });
  const results = await Promise.all(Array.from({ length: 11 }, (_, i) => user.byRequest(`p${i}`)));
  assert.deepEqual(results.map((f) => f.Type), [...Array(10).fill('MESSAGE'), 'ERROR']);
  assert.equal(results[10]!['ErrorCode'], 429);
  fx.clock += 1000;
  user.send({ Action: 'SEND_MESSAGE', RequestId: 'later', Content: 'again' });
  assert.equal((await user.byRequest('later')).Type, 'MESSAGE');
});

test('the room rate is shared by all senders', async () => {
  const roomArn = await createRoom(fx.server.client(), { maximumMessageRatePerSecond: 3 });
  const senders = await Promise.all(['s1', 's2', 's3'].map((u) => join(roomArn, u, { capabilities: ['SEND_MESSAGE'] })));
  senders.forEach((s, i) => {
    s.send({ Action: 'SEND_MESSAGE', RequestId: `a${i}`, Content: 'x' });
    s.send({ Action: 'SEND_MESSAGE', RequestId: `b${i}`, Content: 'y' });
  });
  const results: Frame[] = [];
  for (const [i, s] of senders.entries()) results.push(await s.byRequest(`a${i}`), await s.byRequest(`b${i}`));
  assert.equal(results.filter((f) => f.Type === 'MESSAGE').length, 3);
  const refused = results.filter((f) => f.Type === 'ERROR');
  assert.equal(refused.length, 3);
  assert.ok(refused.every((f) => f['ErrorCode'] === 429));
  fx.clock += 1000;
});

test('UpdateRoom applies to the very next message on open connections', async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk, { maximumMessageRatePerSecond: 10 });
  const user = await join(roomArn, 'user', { capabilities: ['SEND_MESSAGE'] });
  user.send({ Action: 'SEND_MESSAGE', RequestId: 'before', Content: 'ten chars!' });
  assert.equal((await user.byRequest('before')).Type, 'MESSAGE');
  await sdk.send(new UpdateRoomCommand({ identifier: roomArn, maximumMessageLength: 5 }));
  user.send({ Action: 'SEND_MESSAGE', RequestId: 'after', Content: 'ten chars!' });
  assert.equal((await user.byRequest('after'))['ErrorCode'], 400);
  fx.clock += 1000;
  await sdk.send(new UpdateRoomCommand({ identifier: roomArn, maximumMessageRatePerSecond: 1 }));
  user.send({ Action: 'SEND_MESSAGE', RequestId: 'r1', Content: 'one' });
  user.send({ Action: 'SEND_MESSAGE', RequestId: 'r2', Content: 'two' });
  assert.equal((await user.byRequest('r1')).Type, 'MESSAGE');
  assert.equal((await user.byRequest('r2'))['ErrorCode'], 429);
  assert.equal(user.closed, false);
});
