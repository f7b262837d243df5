/**
 * Chat logging end to end, local sink: a room with three logging configurations of different
 * kinds; what raw WebSocket clients receive is what each destination holds, in order, byte
 * for byte; control-plane changes apply to the next message; refused messages are not logged.
 */
import {
  CreateLoggingConfigurationCommand,
  DeleteLoggingConfigurationCommand,
  DeleteMessageCommand,
  DisconnectUserCommand,
  SendEventCommand,
  UpdateLoggingConfigurationCommand,
  UpdateRoomCommand,
  CreateRoomCommand,
  type DestinationConfiguration,
  type IvschatClient,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { ALL_CAPABILITIES, chatToken, waitFor, type Frame } from '../helpers/chat.js';
import { readLocalChatLogs } from '../helpers/chat-logs.js';
import type { ReviewGate } from '../../src/review/review-gate.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A raw client keeping every frame's exact text. */
class TextClient {
  readonly texts: string[] = [];
  closed = false;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.texts.push(data.toString()));
    ws.on('close', () => (this.closed = true));
  }
  static async open(server: TestServer, token: string): Promise<TextClient> {
    const c = new TextClient(new WebSocket(server.parlor.chatUrl, token));
    await new Promise<void>((resolve, reject) => {
      c.ws.once('open', () => resolve());
      c.ws.once('error', reject);
    });
    return c;
  }
  get frames(): Frame[] {
    return this.texts.map((t) => JSON.parse(t) as Frame);
  }
  send(action: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(action));
  }
  /** Index of the first frame from `from` matching; waits for it. */
  async next(match: (f: Frame) => boolean, from = 0): Promise<Frame> {
    return waitFor('a matching frame', () => this.frames.slice(from).find(match));
  }
}

async function loggingConfiguration(client: IvschatClient, name: string, destinationConfiguration: DestinationConfiguration): Promise<string> {
  return (await client.send(new CreateLoggingConfigurationCommand({ name, destinationConfiguration }))).arn!;
}

const payloadOf = (line: string) => line.slice(line.indexOf(',"payload":') + ',"payload":'.length, -1);

test('messages and events reach all three destinations, in order, exactly as clients saw them', async () => {
  const server = await startTestServer();
  try {
    const client = server.client();
    const s3 = await loggingConfiguration(client, 's3', { s3: { bucketName: 'e2e-bucket' } });
    const cwl = await loggingConfiguration(client, 'cwl', { cloudWatchLogs: { logGroupName: '/e2e/group' } });
    const fh = await loggingConfiguration(client, 'fh', { firehose: { deliveryStreamName: 'e2e-stream' } });
    const room = await client.send(new CreateRoomCommand({ name: 'logged', maximumMessageLength: 20, loggingConfigurationIdentifiers: [s3, cwl, fh] }));
    const alice = await TextClient.open(server, (await chatToken(client, room.arn!, 'alice', { capabilities: ALL_CAPABILITIES })).token!);
    const bob = await TextClient.open(server, (await chatToken(client, room.arn!, 'bob')).token!);

    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'r1', Content: 'hello "world" é', Attributes: { a: 'b' } });
    const m1 = await alice.next((f) => f.RequestId === 'r1');
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'r2', Content: 'x'.repeat(21) }); // too long: refused
    await alice.next((f) => f.Type === 'ERROR' && f.RequestId === 'r2');
    bob.send({ Action: 'SEND_MESSAGE', RequestId: 'r3', Content: 'no capability' }); // refused
    await bob.next((f) => f.Type === 'ERROR' && f.RequestId === 'r3');
    await client.send(new SendEventCommand({ roomIdentifier: room.arn!, eventName: 'app:poll', attributes: { q: '1' } }));
    await client.send(new DeleteMessageCommand({ roomIdentifier: room.arn!, id: m1.Id, reason: 'api' }));
    alice.send({ Action: 'SEND_MESSAGE', RequestId: 'r4', Content: 'second' });
    const m2 = await alice.next((f) => f.RequestId === 'r4');
    alice.send({ Action: 'DELETE_MESSAGE', RequestId: 'r5', Id: m2.Id, Reason: 'ws' });
    await alice.next((f) => f.RequestId === 'r5');
    await client.send(new DisconnectUserCommand({ roomIdentifier: room.arn!, userId: 'bob', reason: 'bye' }));
    await waitFor('bob disconnected', () => (bob.closed ? true : undefined));
    await alice.next((f) => f.EventName === 'aws:DISCONNECT_USER');

    // Within 2 s CloudWatch Logs and Firehose lanes deliver on their own; /metrics shows it.
    await waitFor('CloudWatch Logs and Firehose deliveries', async () => {
      const text = await (await fetch(`${server.parlor.endpoint}/metrics`)).text();
      const delivered = (kind: string) => Number(new RegExp(`parlor_chat_log_records_delivered_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      return delivered('cloudWatchLogs') === 6 && delivered('firehose') === 6 ? true : undefined;
    });
    const seen = alice.texts.filter((t) => !t.includes('"Type":"ERROR"'));
    assert.equal(seen.length, 6);
    assert.deepEqual(bob.texts.filter((t) => !t.includes('"Type":"ERROR"')), seen, 'every client saw the same frames');
    await server.stop(true);

    const logs = readLocalChatLogs(server.dataDir);
    const acct = '123456789012';
    const s3Lines = logs.s3('e2e-bucket');
    assert.equal(s3Lines.length, 1, 'one S3 object (one batch cut at shutdown)');
    assert.match(s3Lines[0]!.key, new RegExp(`^AWSLogs/${acct}/IVSChatLogs/1\\.0/us-east-1/room_${room.id}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${acct}_IVSChatLogs_1\\.0_us-east-1_room_${room.id}_\\d{8}T\\d{4}Z_[a-zA-Z0-9]{12}\\.log\\.gz$`));
    const destinations = {
      s3: s3Lines[0]!.lines,
      cloudWatchLogs: logs.cloudWatchLogs('/e2e/group', room.id!),
      firehose: logs.firehose('e2e-stream'),
    };
    for (const [kind, lines] of Object.entries(destinations)) {
      assert.deepEqual(lines.map(payloadOf), seen, `${kind}: exact payloads in order`);
      lines.forEach((line, i) => {
        const record = JSON.parse(line);
        assert.deepEqual(Object.keys(record), ['event_timestamp', 'type', 'version', 'payload']);
        assert.equal(record.type, JSON.parse(seen[i]!).Type);
        assert.equal(record.version, '1.0');
        assert.match(record.event_timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        assert.ok(Math.abs(Date.parse(record.event_timestamp) - Date.parse(JSON.parse(seen[i]!).SendTime)) < 1000);
      });
    }
    assert.deepEqual(
      JSON.parse(`[${seen.join(',')}]`).map((f: Frame) => f.EventName ?? f.Type),
      ['MESSAGE', 'app:poll', 'aws:DELETE_MESSAGE', 'MESSAGE', 'aws:DELETE_MESSAGE', 'aws:DISCONNECT_USER'],
    );
  } finally {
    await server.stop();
  }
});

test('room and configuration changes apply to the next message; deleted configurations get nothing', async () => {
  const server = await startTestServer();
  try {
    const client = server.client();
    const s3 = await loggingConfiguration(client, 's3', { s3: { bucketName: 'live-bucket' } });
    const cwl = await loggingConfiguration(client, 'cwl', { cloudWatchLogs: { logGroupName: 'live-group' } });
    const fh = await loggingConfiguration(client, 'fh', { firehose: { deliveryStreamName: 'live-stream' } });
    const room = await client.send(new CreateRoomCommand({ name: 'live', loggingConfigurationIdentifiers: [s3] }));
    const alice = await TextClient.open(server, (await chatToken(client, room.arn!, 'alice', { capabilities: ALL_CAPABILITIES })).token!);
    const say = async (text: string) => {
      alice.send({ Action: 'SEND_MESSAGE', RequestId: text, Content: text });
      await alice.next((f) => f.RequestId === text);
    };
    await say('m1');
    await client.send(new UpdateRoomCommand({ identifier: room.arn!, loggingConfigurationIdentifiers: [cwl, fh] }));
    await say('m2');
    await client.send(new UpdateLoggingConfigurationCommand({ identifier: cwl, destinationConfiguration: { cloudWatchLogs: { logGroupName: 'other-group' } } }));
    await say('m3');
    await client.send(new UpdateRoomCommand({ identifier: room.arn!, loggingConfigurationIdentifiers: [cwl] }));
    await client.send(new DeleteLoggingConfigurationCommand({ identifier: fh }));
    await say('m4');
    await server.stop(true);

    const logs = readLocalChatLogs(server.dataDir);
    const contents = (lines: string[]) => lines.map((l) => JSON.parse(l).payload.Content as string);
    assert.deepEqual(contents(logs.s3('live-bucket').flatMap((o) => o.lines)), ['m1']);
    assert.deepEqual(contents(logs.cloudWatchLogs('live-group', room.id!)), ['m2']);
    assert.deepEqual(contents(logs.cloudWatchLogs('other-group', room.id!)), ['m3', 'm4']);
    assert.deepEqual(contents(logs.firehose('live-stream')), ['m2', 'm3']);
  } finally {
    await server.stop();
  }
});

test('messages a review handler denies are not logged; rewritten ones are logged as delivered', async () => {
  const gate: ReviewGate = {
    async review(_handler, _max, request) {
      if (request.Content === 'deny me') return { kind: 'deny', reason: 'no' };
      return { kind: 'allow', content: request.Content.replace('rewrite', 'REWRITTEN'), attributes: request.Attributes };
    },
  };
  const server = await startTestServer({}, { review: gate });
  try {
    const client = server.client();
    const cwl = await loggingConfiguration(client, 'cwl', { cloudWatchLogs: { logGroupName: 'reviewed' } });
    const room = await client.send(
      new CreateRoomCommand({ loggingConfigurationIdentifiers: [cwl], messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:review' } }),
    );
    const alice = await TextClient.open(server, (await chatToken(client, room.arn!, 'alice', { capabilities: ['SEND_MESSAGE'] })).token!);
    for (const content of ['first', 'deny me', 'please rewrite']) {
      alice.send({ Action: 'SEND_MESSAGE', RequestId: content, Content: content });
      await alice.next((f) => f.RequestId === content);
    }
    assert.equal(alice.frames.find((f) => f.RequestId === 'deny me')?.ErrorCode, 406);
    await server.stop(true);
    const lines = readLocalChatLogs(server.dataDir).cloudWatchLogs('reviewed', room.id!);
    assert.deepEqual(lines.map(payloadOf), alice.texts.filter((t) => !t.includes('"Type":"ERROR"')));
    assert.deepEqual(lines.map((l) => JSON.parse(l).payload.Content), ['first', 'please REWRITTEN']);
  } finally {
    await server.stop();
  }
});
