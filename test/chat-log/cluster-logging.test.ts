/**
 * Chat logging on two cluster nodes (in process, one database, one Redis cluster name, each
 * node its own data directory): UpdateLoggingConfiguration on node A changes where node B logs
 * its very next message — B's cached configuration is replaced by the change envelope, not
 * after its 30 s refresh — and each message is logged once, by the node that accepted it.
 */
import { CreateLoggingConfigurationCommand, CreateRoomCommand, UpdateLoggingConfigurationCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatToken, RawClient, waitFor } from '../helpers/chat.js';
import { readLocalChatLogs } from '../helpers/chat-logs.js';
import { freshDatabase } from '../helpers/postgres.js';
import { forgetCluster, REDIS_URL, uniqueClusterName } from '../helpers/redis.js';
import { startTestServer } from '../helpers/server.js';

test('UpdateLoggingConfiguration on node A: node B logs its next message to the new destination, once', { timeout: 120_000 }, async () => {
  const db = await freshDatabase();
  const clusterName = uniqueClusterName('logging');
  const cluster = { databaseUrl: db.url, redisUrl: REDIS_URL, clusterName };
  const a = await startTestServer({ ...cluster, nodeId: 'a' });
  const b = await startTestServer({ ...cluster, nodeId: 'b' });
  const clients: RawClient[] = [];
  try {
    const onA = a.client();
    const config = await onA.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { firehose: { deliveryStreamName: 'first' } } }));
    const room = await onA.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [config.arn!] }));
    const sender = await RawClient.open(b, (await chatToken(b.client(), room.arn!, 'sender', { capabilities: ['SEND_MESSAGE'] })).token!);
    const listener = await RawClient.open(a, (await chatToken(a.client(), room.arn!, 'listener')).token!);
    clients.push(sender, listener);
    const say = async (text: string) => {
      sender.send({ Action: 'SEND_MESSAGE', RequestId: text, Content: text });
      await sender.next((f) => f['RequestId'] === text && f.Type === 'MESSAGE');
      await listener.next((f) => f['Content'] === text, 0, 10_000);
    };
    const logged = (dataDir: string, stream: string) => readLocalChatLogs(dataDir).firehose(stream).map((line) => (JSON.parse(line) as { payload: { Content: string } }).payload.Content);

    await say('to the first stream');
    await waitFor('the first line on B', () => (logged(b.dataDir, 'first').length === 1 ? true : undefined), 30_000);
    await onA.send(new UpdateLoggingConfigurationCommand({ identifier: config.arn!, destinationConfiguration: { firehose: { deliveryStreamName: 'second' } } }));
    await say('to the second stream');
    await waitFor('the second line on B', () => (logged(b.dataDir, 'second').length === 1 ? true : undefined), 30_000);
    await Promise.all([a.stop(true), b.stop(true)]);
    assert.deepEqual(logged(b.dataDir, 'first'), ['to the first stream']);
    assert.deepEqual(logged(b.dataDir, 'second'), ['to the second stream']);
    assert.deepEqual([...logged(a.dataDir, 'first'), ...logged(a.dataDir, 'second')], [], 'logged by the accepting node only');
  } finally {
    for (const c of clients) c.ws.terminate();
    await Promise.allSettled([a.stop(), b.stop()]);
    await db.drop();
    await forgetCluster(clusterName);
  }
});
