/**
 * `parlor:presence-events` through raw WebSockets and the official client: a user's first
 * connection announces `parlor:user-joined`, the last one `parlor:user-left` after the grace
 * window; a token rotation (new connection before the old closes) and a reconnect within the
 * window announce nothing; a crowd joining at once is coalesced into a summary.
 */
import { CreateRoomCommand, SendEventCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENTS_PER_SECOND } from '../../src/chat/presence-events.js';
import { ALL_CAPABILITIES, chatFixture, chatToken, connected, officialClient, RawClient, waitFor, type Frame } from '../helpers/chat.js';

const GRACE_MS = 1500;
const fx = chatFixture({}, { presenceGraceMs: GRACE_MS });

async function presenceRoom(on = 'true'): Promise<string> {
  return (await fx.server.client().send(new CreateRoomCommand({ tags: { 'parlor:presence-events': on } }))).arn!;
}

async function join(room: string, userId: string): Promise<RawClient> {
  const client = await RawClient.open(fx.server, (await chatToken(fx.server.client(), room, userId, { capabilities: ALL_CAPABILITIES })).token!);
  fx.clients.push(client);
  return client;
}

const presence = (frames: readonly Frame[]) =>
  frames
    .filter((f) => f.Type === 'EVENT' && String(f['EventName']).startsWith('parlor:'))
    .map((f) => `${String(f['EventName']).slice('parlor:'.length)} ${JSON.stringify(f['Attributes'])}`);

/** Sends an app event and waits until `client` has it: every frame published before it has arrived. */
async function marker(room: string, client: RawClient, name: string): Promise<void> {
  await fx.server.client().send(new SendEventCommand({ roomIdentifier: room, eventName: name }));
  await client.next((f) => f['EventName'] === name);
}

const idle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('first connection joins, rotation and a quick reconnect announce nothing, the last close leaves after the grace window', async () => {
  const room = await presenceRoom();
  const watcher = await join(room, 'watcher');
  await watcher.next((f) => f['EventName'] === 'parlor:user-joined');

  const first = await join(room, 'alice');
  await watcher.next((f) => f['EventName'] === 'parlor:user-joined' && (f['Attributes'] as Record<string, string>)['userId'] === 'alice');

  // Token rotation: the new connection opens, then the old one closes.
  const rotated = await join(room, 'alice');
  first.ws.close();
  await first.waitClosed();
  // A reconnect: the only connection drops and a new one opens within the window.
  rotated.ws.close();
  await rotated.waitClosed();
  const back = await join(room, 'alice');
  await idle(GRACE_MS + 500);
  await marker(room, watcher, 'after-rotation');
  assert.deepEqual(presence(watcher.frames), ['user-joined {"userId":"watcher"}', 'user-joined {"userId":"alice"}']);

  back.ws.close();
  const left = await watcher.next((f) => f['EventName'] === 'parlor:user-left', 0, GRACE_MS + 5000);
  assert.deepEqual(left['Attributes'], { userId: 'alice' });
  assert.equal(left['RequestId'], '');
  assert.match(String(left['SendTime']), /^\d{4}-\d\d-\d\dT/);
});

test('the official client receives the events (string attributes only)', async () => {
  const room = await presenceRoom();
  const { room: chat } = officialClient(fx.server, room, 'viewer');
  const seen: { eventName: string; attributes?: Record<string, string> }[] = [];
  chat.addListener('event', (e) => seen.push({ eventName: e.eventName, ...(e.attributes ? { attributes: e.attributes } : {}) }));
  await connected(chat);
  try {
    const bob = await join(room, 'bob');
    await waitFor('bob joined', () => (seen.some((e) => e.attributes?.['userId'] === 'bob') ? true : undefined));
    bob.ws.close();
    await waitFor('bob left', () => (seen.some((e) => e.eventName === 'parlor:user-left') ? true : undefined), GRACE_MS + 5000);
    assert.deepEqual(
      seen.filter((e) => e.eventName.startsWith('parlor:')),
      [
        { eventName: 'parlor:user-joined', attributes: { userId: 'viewer' } },
        { eventName: 'parlor:user-joined', attributes: { userId: 'bob' } },
        { eventName: 'parlor:user-left', attributes: { userId: 'bob' } },
      ],
    );
  } finally {
    chat.disconnect();
  }
});

test('without the setting (or set to false) nothing is announced', async () => {
  for (const room of [(await fx.server.client().send(new CreateRoomCommand({}))).arn!, await presenceRoom('false')]) {
    const watcher = await join(room, 'watcher');
    const other = await join(room, 'other');
    other.ws.close();
    await idle(GRACE_MS + 300);
    await marker(room, watcher, 'done');
    assert.deepEqual(presence(watcher.frames), []);
  }
});

test('a crowd joining at once: a bounded number of announcements, then one summary counting the rest', async () => {
  const room = await presenceRoom();
  const watcher = await join(room, 'watcher');
  const crowd = 40;
  await Promise.all(Array.from({ length: crowd }, (_, i) => join(room, `fan-${i}`)));
  const summary = await watcher.next((f) => f['EventName'] === 'parlor:presence-summary', 0, 10_000);
  const joined = presence(watcher.frames).filter((e) => e.startsWith('user-joined'));
  // The server's clock is frozen in this file, so its bucket never refills: exactly the burst goes out one by one.
  assert.equal(joined.length, EVENTS_PER_SECOND, 'the burst, the watcher included');
  assert.deepEqual(summary['Attributes'], { joined: String(crowd + 1 - EVENTS_PER_SECOND), left: '0' });
});
