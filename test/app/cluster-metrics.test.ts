/**
 * Cluster mode's metrics, on one node in process: node info names the node and the mode, the
 * round-trip histogram and the reconnect counter cover both PostgreSQL and Redis, and every
 * parlor_ metric of a cluster node is documented.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SendMessageRequest, connected, createRoom, officialClient } from '../helpers/chat.js';
import { assertDocumented, scrape } from '../helpers/metrics.js';
import { freshDatabase } from '../helpers/postgres.js';
import { startTestServer } from '../helpers/server.js';

test('cluster mode: node info, round trips and reconnects of both services, chat counted', async () => {
  const db = await freshDatabase();
  const server = await startTestServer({
    databaseUrl: db.url,
    redisUrl: process.env.PARLOR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    clusterName: `parlor-metrics-${randomBytes(5).toString('hex')}`,
    nodeId: 'metrics-node',
  });
  try {
    // /readyz probes both services (as the 5 s metrics probe does).
    assert.equal((await fetch(`${server.parlor.endpoint}/readyz`)).status, 200);
    const roomArn = await createRoom(server.client());
    const { room } = officialClient(server, roomArn, 'alice', { capabilities: ['SEND_MESSAGE'] });
    await connected(room, 20_000);
    await room.sendMessage(new SendMessageRequest('counted'));
    room.disconnect();

    const scraped = await scrape(server.parlor.endpoint);
    assert.equal(scraped.value('parlor_node_info', { node: 'metrics-node', mode: 'cluster' }), 1);
    for (const service of ['database', 'redis']) {
      assert.ok(scraped.value('parlor_cluster_round_trip_seconds_count', { service }) >= 1, `${service} round trips observed`);
      assert.ok(scraped.value('parlor_cluster_round_trip_seconds_sum', { service }) > 0, `${service} round trip time`);
      assert.equal(scraped.value('parlor_cluster_service_up', { service }), 1, `${service} up`);
      assert.ok(scraped.has('parlor_cluster_reconnects_total', { service }), `${service} reconnects exported`);
    }
    assert.equal(scraped.value('parlor_chat_messages_total', { outcome: 'delivered' }), 1);
    assert.ok(scraped.value('parlor_fan_out_published_total') >= 1);
    assertDocumented(scraped);
  } finally {
    await server.stop();
    await db.drop();
  }
});
