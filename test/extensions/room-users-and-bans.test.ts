/**
 * ListRoomUsers, BanUser, UnbanUser and ListBans through Parlor's JS client (`parlor/client`)
 * against an enforcing server, with the official chat client and raw WebSockets in the room:
 * counts exact while users connect, rotate tokens and leave; a ban kicks with its reason,
 * refuses new and already-minted tokens, expires, pages, lifts, obeys policies and goes with
 * the room. boto3 with the botocore model is in room-users-and-bans-boto3.test.ts.
 */
import { CreateChatTokenCommand, CreateRoomCommand, DeleteRoomCommand } from '@aws-sdk/client-ivschat';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join as joinPath } from 'node:path';
import { after, before, test } from 'node:test';
import { AccessDeniedException, ParlorClient, ResourceNotFoundException, type ListRoomUsersResponse } from '../../src/client/index.js';
import { ADMIN, startWithDeniedKey, type KeyPair } from '../auth/support.js';
import { ALL_CAPABILITIES, chatToken, connected, officialClient, RawClient, upgradeStatus, waitFor } from '../helpers/chat.js';
import { expectError, expectFieldErrors } from '../helpers/errors.js';
import type { TestServer } from '../helpers/server.js';

/** May do everything but the four operations under test. */
const DENIED: KeyPair = { accessKeyId: 'AKIANOMODERATION', secretAccessKey: 'no-moderation-secret-0123456789' };

let server: TestServer;
const clients: RawClient[] = [];

before(async () => {
  server = await startWithDeniedKey(DENIED, ['ivschat:ListRoomUsers', 'ivschat:BanUser', 'ivschat:UnbanUser', 'ivschat:ListBans']);
});
after(async () => {
  for (const c of clients) c.ws.terminate();
  await server?.stop();
});

const admin = () => server.client('us-east-1', ADMIN);
const parlor = (keys: KeyPair = ADMIN) => new ParlorClient({ endpoint: server.parlor.endpoint, region: 'us-east-1', credentials: keys });
const newRoom = async () => (await admin().send(new CreateRoomCommand({}))).arn!;
const missing = (room: string) => room.replace(/room\/.*/, 'room/abcdefABCDEF');

async function mint(room: string, userId: string, attributes: Record<string, string> = {}): Promise<string> {
  return (await chatToken(admin(), room, userId, { capabilities: ALL_CAPABILITIES, attributes })).token!;
}

async function join(room: string, userId: string, attributes: Record<string, string> = {}): Promise<RawClient> {
  const client = await RawClient.open(server, await mint(room, userId, attributes));
  clients.push(client);
  return client;
}

async function leave(client: RawClient): Promise<void> {
  client.ws.close();
  await client.waitClosed();
}

/**
 * ListRoomUsers once the totals are `users`/`connections` (a close reaches the server a moment
 * after the client sees it), then checks the whole answer is consistent with them.
 */
async function roomUsersAt(room: string, users: number, connections: number): Promise<ListRoomUsersResponse> {
  const page = await waitFor(`${users} users / ${connections} connections`, async () => {
    const p = await parlor().listRoomUsers({ roomIdentifier: room });
    return p.totalUsers === users && p.totalConnections === connections ? p : undefined;
  });
  assert.equal(page.users.length, users);
  assert.equal(page.users.reduce((n, u) => n + u.connections, 0), connections);
  assert.equal(page.nextToken, undefined);
  return page;
}

/** The test server whose SDK clients sign as the admin (the official client's token provider uses one). */
const asAdmin = (): TestServer => ({ ...server, client: () => admin() });

const byId = (page: ListRoomUsersResponse) => Object.fromEntries(page.users.map((u) => [u.userId, u]));

test('ListRoomUsers: exact while users connect, rotate their token and leave', async () => {
  const room = await newRoom();
  assert.deepEqual(await parlor().listRoomUsers({ roomIdentifier: room }), { users: [], totalUsers: 0, totalConnections: 0 });

  const before = Date.now();
  const alice1 = await join(room, 'alice', { colour: 'red' });
  let page = await roomUsersAt(room, 1, 1);
  const alice = page.users[0]!;
  assert.deepEqual({ ...alice, connectTime: '' }, { userId: 'alice', attributes: { colour: 'red' }, connections: 1, connectTime: '' });
  assert.ok(Date.parse(alice.connectTime) >= before - 1000 && Date.parse(alice.connectTime) <= Date.now() + 1000, alice.connectTime);

  const bob = officialClient(asAdmin(), room, 'bob', { attributes: { role: 'viewer' } });
  await connected(bob.room);
  page = await roomUsersAt(room, 2, 2);
  assert.deepEqual(page.users.map((u) => u.userId), ['alice', 'bob']);
  assert.deepEqual(byId(page)['bob']!.attributes, { role: 'viewer' });

  // Token rotation as the official client does it: the new connection opens before the old closes.
  const alice2 = await join(room, 'alice', { colour: 'blue' });
  page = await roomUsersAt(room, 2, 3);
  assert.deepEqual(byId(page)['alice'], { userId: 'alice', attributes: { colour: 'blue' }, connections: 2, connectTime: alice.connectTime });
  await leave(alice1);
  page = await roomUsersAt(room, 2, 2);
  assert.equal(byId(page)['alice']!.connections, 1);
  assert.equal(byId(page)['alice']!.connectTime, alice.connectTime, 'a rotation keeps the time the user arrived');

  bob.room.disconnect();
  page = await roomUsersAt(room, 1, 1);
  assert.deepEqual(page.users.map((u) => u.userId), ['alice']);
  await leave(alice2);
  await roomUsersAt(room, 0, 0);
});

test('ListRoomUsers pages by userId with nextToken; totals cover the whole room', async () => {
  const room = await newRoom();
  for (const user of ['carol', 'alice', 'dave', 'bob', 'erin']) await join(room, user);
  await join(room, 'bob');
  await roomUsersAt(room, 5, 6);
  const pages: string[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await parlor().listRoomUsers({ roomIdentifier: room, maxResults: 2, ...(nextToken ? { nextToken } : {}) });
    assert.deepEqual([page.totalUsers, page.totalConnections], [5, 6]);
    pages.push(page.users.map((u) => u.userId));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepEqual(pages, [['alice', 'bob'], ['carol', 'dave'], ['erin']]);
});

test('BanUser kicks the user with the reason, refuses new and already-minted tokens; UnbanUser restores', async () => {
  const room = await newRoom();
  const minted = await mint(room, 'troll');
  const watcher = await join(room, 'watcher');
  const troll = officialClient(asAdmin(), room, 'troll');
  const seen: string[] = [];
  troll.room.addListener('userDisconnect', (e) => seen.push(`userDisconnect:${e.userId}:${e.reason ?? ''}`));
  troll.room.addListener('disconnect', (reason) => seen.push(`disconnect:${reason}`));
  await connected(troll.room);
  const trollRaw = await join(room, 'troll');
  await roomUsersAt(room, 2, 3);

  assert.deepEqual(await parlor().banUser({ roomIdentifier: room, userId: 'troll', reason: 'spamming links' }), {});
  await waitFor('the official client kicked', () => (seen.length >= 2 ? true : undefined));
  assert.deepEqual(seen, ['userDisconnect:troll:spamming links', 'disconnect:serverDisconnect']);
  assert.equal(await trollRaw.waitClosed(), 1000, 'raw connections of the user end too');
  const kick = await watcher.next((f) => f['EventName'] === 'aws:DISCONNECT_USER');
  assert.deepEqual(kick['Attributes'], { UserId: 'troll', Reason: 'spamming links' });
  await roomUsersAt(room, 1, 1);

  const { bans } = await parlor().listBans({ roomIdentifier: room });
  assert.equal(bans.length, 1);
  assert.deepEqual({ ...bans[0]!, createTime: '' }, { userId: 'troll', reason: 'spamming links', createTime: '' });
  assert.ok(Math.abs(Date.parse(bans[0]!.createTime) - Date.now()) < 60_000, bans[0]!.createTime);

  await expectError(admin().send(new CreateChatTokenCommand({ roomIdentifier: room, userId: 'troll' })), 'AccessDeniedException', 403);
  assert.equal(await upgradeStatus(server, minted), 403, 'a token minted before the ban is refused at connect');
  // Other users and other rooms are untouched.
  await mint(room, 'someone-else');
  await mint(await newRoom(), 'troll');

  assert.deepEqual(await parlor().unbanUser({ roomIdentifier: room, userId: 'troll' }), {});
  assert.deepEqual(await parlor().unbanUser({ roomIdentifier: room, userId: 'troll' }), {}, 'unbanning again is fine');
  assert.deepEqual(await parlor().unbanUser({ roomIdentifier: room, userId: 'never-banned' }), {});
  assert.deepEqual((await parlor().listBans({ roomIdentifier: room })).bans, []);
  assert.equal(await upgradeStatus(server, minted), 101, 'the refused token was not used up');
  await join(room, 'troll');
});

test('a ban with a duration ends by itself', async () => {
  const room = await newRoom();
  const t0 = Date.now();
  await parlor().banUser({ roomIdentifier: room, userId: 'brief', durationSeconds: 2 });
  const [ban] = (await parlor().listBans({ roomIdentifier: room })).bans;
  assert.equal(ban!.reason, '');
  assert.equal(Date.parse(ban!.expireTime!) - Date.parse(ban!.createTime), 2000);
  assert.ok(Date.parse(ban!.createTime) >= t0 - 1000);
  await expectError(admin().send(new CreateChatTokenCommand({ roomIdentifier: room, userId: 'brief' })), 'AccessDeniedException', 403);
  await waitFor(
    'the ban to end',
    async () => {
      try {
        return await mint(room, 'brief');
      } catch {
        return undefined;
      }
    },
    15_000,
  );
  assert.ok(Date.now() >= Date.parse(ban!.expireTime!), 'not before its end');
  assert.deepEqual((await parlor().listBans({ roomIdentifier: room })).bans, []);
  await join(room, 'brief');
});

test('ListBans pages by userId; a new ban of the same user replaces the old one', async () => {
  const room = await newRoom();
  for (const user of ['u3', 'u1', 'u5', 'u2', 'u4']) await parlor().banUser({ roomIdentifier: room, userId: user, reason: `reason ${user}` });
  await parlor().banUser({ roomIdentifier: room, userId: 'u2', reason: 'again', durationSeconds: 3600 });
  const pages: string[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await parlor().listBans({ roomIdentifier: room, maxResults: 2, ...(nextToken ? { nextToken } : {}) });
    pages.push(page.bans.map((b) => `${b.userId}:${b.reason}:${b.expireTime ? 'ends' : 'open'}`));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepEqual(pages, [['u1:reason u1:open', 'u2:again:ends'], ['u3:reason u3:open', 'u4:reason u4:open'], ['u5:reason u5:open']]);
  assert.equal((await parlor().listBans({ roomIdentifier: room })).bans.length, 5);
});

test('bad input is ValidationException with fieldList; a missing room is 404', async () => {
  const room = await newRoom();
  await expectFieldErrors(parlor().banUser({ roomIdentifier: room, userId: '', reason: 'x'.repeat(257), durationSeconds: 0 }), [
    'userId',
    'reason',
    'durationSeconds',
  ]);
  await expectFieldErrors(parlor().banUser({ roomIdentifier: room, userId: 'u', durationSeconds: 31_536_001 }), ['durationSeconds']);
  await parlor().banUser({ roomIdentifier: room, userId: 'u', reason: 'y'.repeat(256), durationSeconds: 31_536_000 });
  await expectFieldErrors(parlor().listRoomUsers({ roomIdentifier: room, maxResults: 101, nextToken: 'nope' }), ['maxResults', 'nextToken']);
  await expectFieldErrors(parlor().listBans({ roomIdentifier: room, maxResults: 0, nextToken: 'nope' }), ['maxResults', 'nextToken']);
  await expectFieldErrors(parlor().unbanUser({ roomIdentifier: 'not-an-arn', userId: 'u' }), ['roomIdentifier']);
  await expectFieldErrors(parlor().send('BanUser', { roomIdentifier: room } as never), ['userId']);

  const gone = missing(room);
  const calls = [
    parlor().listRoomUsers({ roomIdentifier: gone }),
    parlor().banUser({ roomIdentifier: gone, userId: 'u' }),
    parlor().unbanUser({ roomIdentifier: gone, userId: 'u' }),
    parlor().listBans({ roomIdentifier: gone }),
  ];
  for (const call of calls) {
    const err = await expectError(call, 'ResourceNotFoundException', 404, { resourceId: 'abcdefABCDEF', resourceType: 'ROOM' });
    assert.ok(err instanceof ResourceNotFoundException);
  }
});

test('policies: ivschat:<Operation> on the room ARN; a denied key changes nothing', async () => {
  const room = await newRoom();
  await join(room, 'alice');
  const denied = parlor(DENIED);
  const calls: [string, Promise<unknown>][] = [
    ['ListRoomUsers', denied.listRoomUsers({ roomIdentifier: room })],
    ['BanUser', denied.banUser({ roomIdentifier: room, userId: 'alice' })],
    ['UnbanUser', denied.unbanUser({ roomIdentifier: room, userId: 'alice' })],
    ['ListBans', denied.listBans({ roomIdentifier: room })],
  ];
  for (const [name, call] of calls) {
    const err = await expectError(call, 'AccessDeniedException', 403);
    assert.ok(err instanceof AccessDeniedException, name);
  }
  assert.deepEqual((await parlor().listBans({ roomIdentifier: room })).bans, []);
  await roomUsersAt(room, 1, 1);
  await mint(room, 'alice');
});

test('DeleteRoom forgets the room’s bans and ends its users', async () => {
  const room = await newRoom();
  await join(room, 'alice');
  await parlor().banUser({ roomIdentifier: room, userId: 'troll' });
  await admin().send(new DeleteRoomCommand({ identifier: room }));
  await expectError(parlor().listBans({ roomIdentifier: room }), 'ResourceNotFoundException', 404);
  await expectError(parlor().listRoomUsers({ roomIdentifier: room }), 'ResourceNotFoundException', 404);
  const db = new Database(joinPath(server.dataDir, 'parlor.db'), { readonly: true });
  try {
    assert.deepEqual(db.prepare('SELECT count(*) AS n FROM bans WHERE room_arn = ?').get(room), { n: 0 }, 'the store keeps no ban of the deleted room');
  } finally {
    db.close();
  }
});
