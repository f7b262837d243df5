/**
 * Presence and bans across two cluster nodes in one process (real PostgreSQL and Redis, a fresh
 * database and cluster name): ListRoomUsers on either node counts the users of both; a ban made
 * on one node kicks the user's connections on both, is refused on both, and survives a restart
 * of a node. (A crashed node's presence entries lapsing is in test/contract/redis-presence.test.ts.)
 */
import { CreateChatTokenCommand, CreateRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ParlorClient, type ListRoomUsersResponse } from '../../src/client/index.js';
import { ALL_CAPABILITIES, chatToken, RawClient, upgradeStatus, waitFor } from '../helpers/chat.js';
import { expectError } from '../helpers/errors.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres.js';
import { REDIS_URL, uniqueClusterName } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let db: FreshDatabase;
const clusterName = uniqueClusterName('bans');
const nodes: { a?: TestServer; b?: TestServer } = {};
const clients: RawClient[] = [];

const startNode = (nodeId: string) => startTestServer({ databaseUrl: db.url, redisUrl: REDIS_URL, clusterName, nodeId });

before(async () => {
  db = await freshDatabase();
  nodes.a = await startNode('node-a');
  nodes.b = await startNode('node-b');
});
after(async () => {
  for (const c of clients) c.ws.terminate();
  await nodes.a?.stop();
  await nodes.b?.stop();
  await db?.drop();
});

const parlor = (node: TestServer) => new ParlorClient({ endpoint: node.parlor.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });

async function join(node: TestServer, room: string, userId: string): Promise<RawClient> {
  const client = await RawClient.open(node, (await chatToken(node.client(), room, userId, { capabilities: ALL_CAPABILITIES })).token!);
  clients.push(client);
  return client;
}

/** Waits until `node` answers the totals, then returns its answer as `user:connections` strings. */
async function usersOn(node: TestServer, room: string, users: number, connections: number): Promise<string[]> {
  const page = await waitFor(
    `${users} users / ${connections} connections on ${node.parlor.nodeId}`,
    async () => {
      const p: ListRoomUsersResponse = await parlor(node).listRoomUsers({ roomIdentifier: room });
      return p.totalUsers === users && p.totalConnections === connections ? p : undefined;
    },
    15_000,
  );
  return page.users.map((u) => `${u.userId}:${u.connections}`);
}

test('ListRoomUsers on either node counts the connections of both', async () => {
  const { a, b } = nodes as Required<typeof nodes>;
  const room = (await a.client().send(new CreateRoomCommand({}))).arn!;
  const aliceA = await join(a, room, 'alice');
  const bob = await join(b, room, 'bob');
  const aliceB = await join(b, room, 'alice');
  for (const node of [a, b]) assert.deepEqual(await usersOn(node, room, 2, 3), ['alice:2', 'bob:1']);
  bob.ws.close();
  aliceA.ws.close();
  for (const node of [a, b]) assert.deepEqual(await usersOn(node, room, 1, 1), ['alice:1']);
  aliceB.ws.close();
  for (const node of [a, b]) assert.deepEqual(await usersOn(node, room, 0, 0), []);
});

test('a ban made on one node kicks the user on both, holds on both, and survives a restart', async () => {
  const { a, b } = nodes as Required<typeof nodes>;
  const room = (await a.client().send(new CreateRoomCommand({}))).arn!;
  const onA = await join(a, room, 'troll');
  const onB = await join(b, room, 'troll');
  const minted = (await chatToken(a.client(), room, 'troll')).token!;
  await usersOn(a, room, 1, 2);

  await parlor(b).banUser({ roomIdentifier: room, userId: 'troll', reason: 'cluster-wide' });
  for (const client of [onA, onB]) {
    await client.waitClosed(10_000);
    const kick = await client.next((f) => f['EventName'] === 'aws:DISCONNECT_USER');
    assert.deepEqual(kick['Attributes'], { UserId: 'troll', Reason: 'cluster-wide' });
  }
  for (const node of [a, b]) {
    await expectError(node.client().send(new CreateChatTokenCommand({ roomIdentifier: room, userId: 'troll' })), 'AccessDeniedException', 403);
    assert.equal(await upgradeStatus(node, minted), 403, `refused at connect on ${node.parlor.nodeId}`);
  }
  await usersOn(b, room, 0, 0);

  await a.stop(true);
  nodes.a = await startNode('node-a');
  const bans = (await parlor(nodes.a).listBans({ roomIdentifier: room })).bans;
  assert.deepEqual(bans.map((x) => `${x.userId}:${x.reason}`), ['troll:cluster-wide']);
  assert.equal(await upgradeStatus(nodes.a, minted), 403);

  await parlor(nodes.a).unbanUser({ roomIdentifier: room, userId: 'troll' });
  assert.equal(await upgradeStatus(b, minted), 101, 'unbanned on the other node at once');
});
