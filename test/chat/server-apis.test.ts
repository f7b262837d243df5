/** CreateChatToken, SendEvent, DeleteMessage, DisconnectUser through the JS SDK. */
import {
  CreateChatTokenCommand,
  DeleteMessageCommand,
  DisconnectUserCommand,
  SendEventCommand,
  type IvschatClient,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chatToken, createRoom, RawClient, type Frame } from '../helpers/chat.js';
import { expectFieldErrors } from '../helpers/errors.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let sdk: IvschatClient;
const clients: RawClient[] = [];
before(async () => {
  server = await startTestServer();
  sdk = server.client();
});
after(async () => {
  for (const c of clients) c.ws.terminate();
  await server.stop();
});

async function audience(roomArn: string, n: number): Promise<RawClient[]> {
  const out: RawClient[] = [];
  for (let i = 0; i < n; i++) out.push(await RawClient.open(server, (await chatToken(sdk, roomArn, `viewer${i}`)).token!));
  clients.push(...out);
  return out;
}

/** The one frame every client got for `id`, checked identical across clients. */
async function sameFrameEverywhere(viewers: RawClient[], id: string): Promise<Frame> {
  const frames = await Promise.all(viewers.map((v) => v.next((f) => f.Id === id)));
  for (const f of frames) assert.deepEqual(f, frames[0]);
  return frames[0]!;
}

test('CreateChatToken returns a token and equal, future expiration times', async () => {
  const roomArn = await createRoom(sdk);
  const before = Date.now();
  const out = await sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId: 'u' }));
  assert.ok(out.token);
  const session = out.sessionExpirationTime!.getTime();
  assert.ok(session >= before + 60 * 60_000 - 1000 && session <= Date.now() + 60 * 60_000 + 1000, 'default 60 minutes');
  assert.equal(out.tokenExpirationTime!.getTime(), session);
});

test('CreateChatToken validation and missing rooms', async () => {
  const roomArn = await createRoom(sdk);
  const bad = async (input: Partial<ConstructorParameters<typeof CreateChatTokenCommand>[0]>, name: string) =>
    assert.rejects(sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId: 'u', ...input })), (e: Error) => e.name === name);
  await bad({ attributes: { k: 'v'.repeat(1024) } }, 'ValidationException');
  await bad({ sessionDurationInMinutes: 181 }, 'ValidationException');
  await bad({ sessionDurationInMinutes: 0 }, 'ValidationException');
  await bad({ userId: '' }, 'ValidationException');
  await bad({ userId: 'u'.repeat(129) }, 'ValidationException');
  await bad({ roomIdentifier: roomArn.replace(/\/.*/, '/AbCdEf123456') }, 'ResourceNotFoundException');
  // Exactly 1 KB (keys + values, UTF-8) is allowed: 'k' + 1021 × 'v' + 'é' (2 bytes).
  await sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId: 'u', attributes: { k: 'v'.repeat(1021) + 'é' } }));
});

test('SendEvent reaches every client as the same EVENT frame, with the returned id', async () => {
  const roomArn = await createRoom(sdk);
  const viewers = await audience(roomArn, 3);
  const out = await sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'app:poll', attributes: { q: 'yes?' } }));
  assert.match(out.id!, /^[a-zA-Z0-9]{12}$/);
  const frame = await sameFrameEverywhere(viewers, out.id!);
  assert.deepEqual({ ...frame, SendTime: undefined }, { Type: 'EVENT', Id: out.id, RequestId: '', EventName: 'app:poll', Attributes: { q: 'yes?' }, SendTime: undefined });
  assert.ok(!Number.isNaN(Date.parse(frame['SendTime'] as string)));
});

test('DeleteMessage broadcasts aws:DELETE_MESSAGE and returns the event id', async () => {
  const roomArn = await createRoom(sdk);
  const viewers = await audience(roomArn, 2);
  const out = await sdk.send(new DeleteMessageCommand({ roomIdentifier: roomArn, id: 'AbCdEf123456', reason: 'rude' }));
  const frame = await sameFrameEverywhere(viewers, out.id!);
  assert.equal(frame['EventName'], 'aws:DELETE_MESSAGE');
  assert.equal(frame['RequestId'], '');
  assert.deepEqual(frame['Attributes'], { MessageId: 'AbCdEf123456', MessageID: 'AbCdEf123456', Reason: 'rude' });
});

test('DisconnectUser tells the room, closes all of that user\'s connections, and is fine with nobody there', async () => {
  const roomArn = await createRoom(sdk);
  const [other] = await audience(roomArn, 1);
  const twice = [
    await RawClient.open(server, (await chatToken(sdk, roomArn, 'target')).token!),
    await RawClient.open(server, (await chatToken(sdk, roomArn, 'target')).token!),
  ];
  clients.push(...twice);
  const out = await sdk.send(new DisconnectUserCommand({ roomIdentifier: roomArn, userId: 'target', reason: 'timeout' }));
  assert.deepEqual(Object.keys(out), ['$metadata']);
  for (const t of twice) {
    assert.equal(await t.waitClosed(), 1000);
    assert.deepEqual(t.frames.map((f) => [f['EventName'], f['Attributes']]), [['aws:DISCONNECT_USER', { UserId: 'target', Reason: 'timeout' }]]);
  }
  await other!.next((f) => f['EventName'] === 'aws:DISCONNECT_USER');
  assert.equal(other!.closed, false);
  await sdk.send(new DisconnectUserCommand({ roomIdentifier: roomArn, userId: 'nobody' }));
});

test('server API validation errors', async () => {
  const roomArn = await createRoom(sdk);
  const rejects = (p: Promise<unknown>, name: string) => assert.rejects(p, (e: Error) => e.name === name);
  await rejects(sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'aws:DELETE_MESSAGE' })), 'ValidationException');
  await rejects(sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'AWS:x' })), 'ValidationException');
  await rejects(sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'e'.repeat(101) })), 'ValidationException');
  await rejects(sdk.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'e', attributes: { a: 'b'.repeat(1024) } })), 'ValidationException');
  await rejects(sdk.send(new DeleteMessageCommand({ roomIdentifier: roomArn, id: 'short' })), 'ValidationException');
  await rejects(sdk.send(new DisconnectUserCommand({ roomIdentifier: roomArn, userId: '' })), 'ValidationException');
  const missing = roomArn.replace(/\/.*/, '/AbCdEf123456');
  await rejects(sdk.send(new SendEventCommand({ roomIdentifier: missing, eventName: 'e' })), 'ResourceNotFoundException');
  await rejects(sdk.send(new DeleteMessageCommand({ roomIdentifier: missing, id: 'AbCdEf123456' })), 'ResourceNotFoundException');
  await rejects(sdk.send(new DisconnectUserCommand({ roomIdentifier: missing, userId: 'u' })), 'ResourceNotFoundException');
});

test('rules beyond the model are reported in the same ValidationException as the model\'s', async () => {
  const roomArn = await createRoom(sdk);
  const big = { a: 'b'.repeat(1024) };
  // A missing room would be a 404, but validation comes first and lists every bad member.
  await expectFieldErrors(sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId: '', attributes: big })), ['userId', 'attributes']);
  await expectFieldErrors(
    sdk.send(new SendEventCommand({ roomIdentifier: roomArn.replace(/\/.*/, '/AbCdEf123456'), eventName: 'aws:x', attributes: big })),
    ['eventName', 'attributes'],
  );
  await expectFieldErrors(sdk.send(new SendEventCommand({ roomIdentifier: 'nope', eventName: 'e', attributes: big })), ['roomIdentifier', 'attributes']);
});
