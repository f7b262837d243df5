/** One node in cluster mode, in process: PostgreSQL and Redis wired, /readyz names both, chat works. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SendMessageRequest, connected, createRoom, officialClient } from '../helpers/chat.js';
import { freshDatabase } from '../helpers/postgres.js';
import { startTestServer } from '../helpers/server.js';

test('cluster mode: starts on PostgreSQL and Redis, /readyz checks both, the official client chats', async () => {
  const db = await freshDatabase();
  const server = await startTestServer({
    databaseUrl: db.url,
    redisUrl: process.env.PARLOR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    clusterName: `parlor-start-${randomBytes(5).toString('hex')}`,
    nodeId: 'solo',
  });
  try {
    assert.equal(server.parlor.mode, 'cluster');
    const ready = await fetch(`${server.parlor.endpoint}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', node: 'solo', checks: { database: 'up', redis: 'up' } });
    const roomArn = await createRoom(server.client());
    const { room } = officialClient(server, roomArn, 'alice', { capabilities: ['SEND_MESSAGE'] });
    await connected(room, 20_000);
    assert.equal((await room.sendMessage(new SendMessageRequest('over redis'))).content, 'over redis');
    room.disconnect();
  } finally {
    await server.stop();
    await db.drop();
  }
});
