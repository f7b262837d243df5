/**
 * Chat logging end to end in AWS mode (`chatLogSink: 'aws'`) against moto: the frames a raw
 * client receives arrive in the S3 bucket (gzip NDJSON under the chat-log keys), the
 * CloudWatch Logs stream of the room and the Firehose stream's output.
 */
import { SendEventCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awsForTests, createDestinations } from '../helpers/aws.js';
import { ALL_CAPABILITIES, chatToken, RawClient } from '../helpers/chat.js';
import { motoMissing, startMoto } from '../helpers/moto.js';
import { roomLoggedToEachKind } from '../helpers/chat-logs.js';
import { startTestServer } from '../helpers/server.js';

const missing = motoMissing();

test('AWS mode: every delivered frame reaches S3, CloudWatch Logs and Firehose on moto', { skip: missing }, async () => {
  const moto = await startMoto();
  const aws = await awsForTests(moto.endpoint, 'us-east-1');
  await createDestinations(aws, { bucket: 'e2e-bucket', logGroup: '/e2e/aws', deliveryStream: 'e2e-stream' });
  const server = await startTestServer({ chatLogSink: 'aws' });
  try {
    const client = server.client();
    const { room } = await roomLoggedToEachKind(client, { bucket: 'e2e-bucket', logGroup: '/e2e/aws', stream: 'e2e-stream' });
    const alice = await RawClient.open(server, (await chatToken(client, room.arn!, 'alice', { capabilities: ALL_CAPABILITIES })).token!);
    const texts: string[] = [];
    // What chat logs record: MESSAGE and EVENT frames (not the shutdown's ERROR 401).
    alice.ws.on('message', (d) => {
      if ((JSON.parse(d.toString()) as { Type: string }).Type !== 'ERROR') texts.push(d.toString());
    });
    for (let i = 0; i < 5; i++) {
      alice.send({ Action: 'SEND_MESSAGE', RequestId: `r${i}`, Content: `message ${i}` });
      await alice.byRequest(`r${i}`);
    }
    await client.send(new SendEventCommand({ roomIdentifier: room.arn!, eventName: 'app:done' }));
    await alice.next((f) => f.EventName === 'app:done');
    await server.stop(true); // graceful shutdown flushes every lane

    const payloadOf = (line: string) => line.slice(line.indexOf(',"payload":') + ',"payload":'.length, -1);
    const objects = await aws.objects('e2e-bucket', '');
    assert.equal(objects.length, 1);
    assert.match(objects[0]!.key, new RegExp(`^AWSLogs/123456789012/IVSChatLogs/1\\.0/us-east-1/room_${room.id}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/123456789012_IVSChatLogs_1\\.0_us-east-1_room_${room.id}_\\d{8}T\\d{4}Z_\\w{12}\\.log\\.gz$`));
    const lines = (text: string) => text.split('\n').filter(Boolean);
    assert.deepEqual(lines(objects[0]!.body).map(payloadOf), texts, 'S3');
    const events = await aws.events('/e2e/aws', `aws/IVSChatLogs/1.0/room_${room.id}`);
    assert.deepEqual(events.map((e) => payloadOf(e.message)), texts, 'CloudWatch Logs');
    assert.deepEqual((await aws.firehoseOutput('e2e-stream')).flatMap(lines).map(payloadOf), texts, 'Firehose');
    assert.equal(texts.length, 6);
  } finally {
    await server.stop();
    await moto.stop();
  }
});
