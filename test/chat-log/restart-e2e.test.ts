/**
 * Parlor in AWS mode while the destinations are down: shutdown spools what it could not
 * deliver; after a restart on the same data directory, with the destinations back, every
 * record arrives exactly once (CloudWatch Logs also in order).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { awsForTests, createDestinations } from '../helpers/aws.js';
import { chatToken, RawClient } from '../helpers/chat.js';
import { freePort, motoMissing, startMoto } from '../helpers/moto.js';
import { roomLoggedToEachKind } from '../helpers/chat-logs.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const missing = motoMissing();

async function say(server: TestServer, roomArn: string, userId: string, texts: string[], contents: string[]): Promise<void> {
  const token = (await chatToken(server.client(), roomArn, userId, { capabilities: ['SEND_MESSAGE'] })).token!;
  const client = await RawClient.open(server, token);
  // What chat logs record: MESSAGE and EVENT frames (not the shutdown's ERROR 401).
  client.ws.on('message', (d) => {
    if ((JSON.parse(d.toString()) as { Type: string }).Type !== 'ERROR') texts.push(d.toString());
  });
  for (const content of contents) {
    client.send({ Action: 'SEND_MESSAGE', RequestId: content, Content: content });
    await client.byRequest(content);
  }
  client.ws.close();
}

test('destinations down across a Parlor restart: nothing lost, nothing twice', { skip: missing }, async () => {
  const port = await freePort();
  const aws = await awsForTests(`http://127.0.0.1:${port}`, 'us-east-1');
  const first = await startTestServer({ chatLogSink: 'aws' });
  const texts: string[] = [];
  let roomArn = '';
  let roomId = '';
  try {
    const client = first.client();
    const { room } = await roomLoggedToEachKind(client, { bucket: 'restart-bucket', logGroup: 'restart-group', stream: 'restart-stream' });
    roomArn = room.arn!;
    roomId = room.id!;
    await say(first, roomArn, 'alice', texts, ['a1', 'a2', 'a3', 'a4']);
  } finally {
    await first.stop(true);
  }
  const spool = join(first.dataDir, 'chat-log-spool');
  const segments = readdirSync(spool).flatMap((lane) => readdirSync(join(spool, lane)).filter((f) => f.endsWith('.seg')));
  assert.ok(segments.length >= 3, `at least one spooled batch per destination, found ${segments.length}`);

  const moto = await startMoto(port);
  const second = await startTestServer({ chatLogSink: 'aws', dataDir: first.dataDir });
  try {
    await createDestinations(aws, { bucket: 'restart-bucket', logGroup: 'restart-group', deliveryStream: 'restart-stream' });
    await say(second, roomArn, 'bob', texts, ['b1', 'b2']);
    await second.stop(true);
    const payloads = (bodies: string[]) => bodies.flatMap((b) => b.split('\n').filter(Boolean)).map((l) => l.slice(l.indexOf(',"payload":') + 11, -1));
    const logs = (await aws.events('restart-group', `aws/IVSChatLogs/1.0/room_${roomId}`)).map((e) => e.message);
    assert.equal(texts.length, 6);
    assert.deepEqual(payloads(logs), texts, 'CloudWatch Logs: all, once, in order');
    assert.deepEqual(payloads((await aws.objects('restart-bucket', '')).map((o) => o.body)).sort(), [...texts].sort(), 'S3: all, once');
    assert.deepEqual(payloads(await aws.firehoseOutput('restart-stream')).sort(), [...texts].sort(), 'Firehose: all, once');
  } finally {
    await second.stop();
    await moto.stop();
  }
});
