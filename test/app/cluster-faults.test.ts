/**
 * Faults end to end: two node processes on a private redis-server and a private PostgreSQL
 * (both on free ports, stopped and started by the test), official clients on each node.
 * Redis restart: /readyz 503 while it is down, chat within a node goes on, the nodes reconnect
 * by themselves, cross-node delivery resumes, and a room change made meanwhile reaches the
 * other node once Redis is back. PostgreSQL restart: control-plane calls answer 500
 * InternalServerException while it is down and succeed after, open chat connections keep
 * chatting, /readyz 503 meanwhile. Nothing crashes.
 */
import { GetRoomCommand, ListRoomsCommand, UpdateRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connected, createRoom, officialClient, SendMessageRequest, waitFor, type ChatRoomType } from '../helpers/chat.js';
import { readyzBecomes, startNodes, type NodeProcess } from '../helpers/node-process.js';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { PrivateRedis } from '../helpers/private-redis.js';
import { uniqueClusterName } from '../helpers/redis.js';

const skip = privatePostgresAvailable() ? undefined : 'initdb/pg_ctl are not on the PATH, so no private PostgreSQL can be started';
if (skip) console.warn(`SKIPPING cluster-faults: ${skip}`);
const SLOW = skip ? { skip } : { timeout: 180_000 };

let redis: PrivateRedis | undefined;
let pg: PrivatePostgres | undefined;
let nodes: NodeProcess[] = [];
const rooms: ChatRoomType[] = [];
const node = (i: number): NodeProcess => nodes[i] ?? assert.fail('the nodes start in before()');

before(async () => {
  if (skip) return;
  [redis, pg] = await Promise.all([PrivateRedis.start(), startPrivatePostgres()]);
  nodes = await startNodes(['a', 'b'], { databaseUrl: pg.url, redisUrl: redis.url, clusterName: uniqueClusterName('faults') });
});

after(async () => {
  for (const room of rooms) room.disconnect();
  await Promise.all(nodes.map((n) => n.close()));
  await redis?.stop();
  await pg?.cleanup();
});

/** The official client of `userId` on node `i`, connected, recording message contents. */
async function clientOn(i: number, roomArn: string, userId: string) {
  const { room } = officialClient(node(i), roomArn, userId, { capabilities: ['SEND_MESSAGE'] });
  rooms.push(room);
  const got: string[] = [];
  let disconnects = 0;
  room.addListener('message', (m) => got.push(m.content));
  room.addListener('disconnect', () => disconnects++);
  await connected(room, 30_000);
  const hears = (content: string) => waitFor(`${userId} to hear "${content}"`, () => (got.includes(content) ? true : undefined), 30_000);
  return { room, got, hears, disconnected: () => disconnects > 0 };
}

async function readyzBody(i: number): Promise<{ status: number; body: { checks: Record<string, string> } }> {
  const res = await fetch(`${node(i).parlor.endpoint}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
}

test('Redis restart: /readyz 503 while down, chat within a node goes on, nodes reconnect by themselves, cross-node delivery resumes', SLOW, async () => {
  const roomArn = await createRoom(node(0).client(), { maximumMessageRatePerSecond: 100 });
  const [a1, a2, b1] = [await clientOn(0, roomArn, 'a1'), await clientOn(0, roomArn, 'a2'), await clientOn(1, roomArn, 'b1')];
  await a1.room.sendMessage(new SendMessageRequest('before'));
  await b1.hears('before');

  await redis!.stop();
  await Promise.all(nodes.map((n) => readyzBecomes(n.parlor.endpoint, 503, 30_000)));
  const down = await readyzBody(0);
  assert.equal(down.body.checks['redis'], 'down');
  assert.equal(down.body.checks['database'], 'up');
  // Chat among the clients of one node goes on.
  await a1.room.sendMessage(new SendMessageRequest('during, on A'));
  await a2.hears('during, on A');
  await b1.room.sendMessage(new SendMessageRequest('during, on B'));
  // A change made while Redis is down cannot be announced; B re-reads its rooms when Redis is back.
  await node(0).client().send(new UpdateRoomCommand({ identifier: roomArn, maximumMessageLength: 10 }));

  await redis!.resume();
  await Promise.all(nodes.map((n) => readyzBecomes(n.parlor.endpoint, 200, 60_000)));
  await a1.room.sendMessage(new SendMessageRequest('after, A'));
  await b1.hears('after, A');
  await b1.room.sendMessage(new SendMessageRequest('after, B'));
  await a1.hears('after, B');
  await a2.hears('after, B');
  await assert.rejects(b1.room.sendMessage(new SendMessageRequest('longer than ten')), (err: { errorCode: number }) => err.errorCode === 400, 'B applies the change made during the outage');
  assert.equal(a1.got.filter((c) => c === 'after, B').length, 1, 'once');
  assert.ok(!a1.got.includes('during, on B') && !b1.got.includes('during, on A'), 'what was sent during the outage did not cross (dropped, not queued)');
  for (const c of [a1, a2, b1]) assert.equal(c.disconnected(), false, 'no client lost its connection');
  assert.ok(nodes.every((n) => n.running), 'both nodes still run');
});

test('PostgreSQL restart: control-plane calls answer 500 InternalServerException while down and succeed after; open chats go on; /readyz 503 meanwhile', SLOW, async () => {
  const roomArn = await createRoom(node(0).client(), { maximumMessageRatePerSecond: 100 });
  const [a1, b1] = [await clientOn(0, roomArn, 'pa'), await clientOn(1, roomArn, 'pb')];

  await pg!.stop();
  for (const [i, n] of nodes.entries()) {
    await readyzBecomes(n.parlor.endpoint, 503, 30_000);
    assert.equal((await readyzBody(i)).body.checks['database'], 'down');
  }
  for (const n of nodes) {
    const started = performance.now();
    await assert.rejects(n.client().send(new GetRoomCommand({ identifier: roomArn })), (err: { name: string; $metadata: { httpStatusCode: number } }) => {
      assert.equal(err.name, 'InternalServerException');
      assert.equal(err.$metadata.httpStatusCode, 500);
      return true;
    });
    assert.ok(performance.now() - started < 15_000, 'answered promptly, not hung');
  }
  // Open chat connections keep chatting, across nodes too (Redis is up).
  await a1.room.sendMessage(new SendMessageRequest('while the database is down'));
  await b1.hears('while the database is down');
  await b1.room.sendMessage(new SendMessageRequest('still here'));
  await a1.hears('still here');

  await pg!.start();
  await Promise.all(nodes.map((n) => readyzBecomes(n.parlor.endpoint, 200, 60_000)));
  for (const n of nodes) {
    assert.equal((await n.client().send(new GetRoomCommand({ identifier: roomArn }))).arn, roomArn);
    assert.ok(((await n.client().send(new ListRoomsCommand({}))).rooms ?? []).some((r) => r.arn === roomArn));
  }
  const late = await clientOn(1, roomArn, 'late');
  await a1.room.sendMessage(new SendMessageRequest('after the database came back'));
  await late.hears('after the database came back');
  for (const c of [a1, b1]) assert.equal(c.disconnected(), false, 'no client lost its connection');
  assert.ok(nodes.every((n) => n.running), 'both nodes still run');
});
