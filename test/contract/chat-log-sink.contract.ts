/**
 * The contract every ChatLogSink implementation passes (local files; S3, CloudWatch Logs and
 * Firehose against moto). A harness gives the sink, names of destinations that exist, and a
 * way to read back what each destination holds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Scope } from '../../src/domain/arn.js';
import { newId } from '../../src/domain/ids.js';
import { s3ObjectKey, type ChatLogBatch, type ChatLogEntry, type ChatLogSink, type ChatLogTarget, type DestinationKind } from '../../src/chat-log/chat-log-sink.js';

export interface SinkHarness {
  readonly sink: ChatLogSink;
  readonly scope: Scope;
  /** Destinations that exist, by kind. */
  readonly existing: Readonly<Record<DestinationKind, string>>;
  /** Destinations that do not exist (deliveries must fail); undefined where none can be missing. */
  readonly missing: Readonly<Record<DestinationKind, string>> | undefined;
  /** Every object in the bucket: key and gunzipped body. */
  s3Objects(bucket: string): Promise<{ key: string; body: string }[]>;
  /** Messages of the log stream, in order. */
  logEvents(group: string, stream: string): Promise<{ timestamp: number; message: string }[]>;
  /** What the delivery stream delivered, as the text of each delivered unit (object/file). */
  firehoseOutput(stream: string): Promise<string[]>;
}

function entries(n: number, at: number, tag: string): ChatLogEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    at: at + i,
    line: `{"event_timestamp":"${new Date(at + i).toISOString()}","type":"MESSAGE","version":"1.0","payload":{"Type":"MESSAGE","Id":"${tag}${String(i).padStart(5, '0')}","Content":"é ${i}"}}`,
  }));
}

const lines = (body: string) => body.split('\n').filter((l) => l !== '');

export function chatLogSinkContract(name: string, setup: () => Promise<SinkHarness>, teardown: () => Promise<void>): void {
  let h: SinkHarness;
  const target = (kind: DestinationKind, roomId: string, destination?: string): ChatLogTarget => ({
    ...h.scope,
    kind,
    name: destination ?? h.existing[kind],
    roomId: kind === 'firehose' ? '' : roomId,
  });
  const batch = (t: ChatLogTarget, list: ChatLogEntry[]): ChatLogBatch => ({ target: t, batchId: newId(), entries: list });

  test(`${name}: setup`, async () => {
    h = await setup();
  });

  test(`${name}: S3 gets one gzip NDJSON object per batch under the chat-log key`, async () => {
    const roomId = newId();
    const at = Date.UTC(2026, 4, 6, 7, 8, 9, 10);
    const b = batch(target('s3', roomId), entries(3, at, 'S3A'));
    assert.deepEqual(await h.sink.deliver(b), { kind: 'ok' });
    const objects = (await h.s3Objects(h.existing.s3)).filter((o) => o.key.includes(roomId));
    assert.equal(objects.length, 1);
    const { accountId: acct, region } = h.scope;
    assert.equal(objects[0]!.key, `AWSLogs/${acct}/IVSChatLogs/1.0/${region}/room_${roomId}/2026/05/06/07/${acct}_IVSChatLogs_1.0_${region}_room_${roomId}_20260506T0708Z_${b.batchId}.log.gz`);
    assert.equal(objects[0]!.key, s3ObjectKey(b.target, at, b.batchId));
    assert.deepEqual(lines(objects[0]!.body), b.entries.map((e) => e.line));
    assert.ok(objects[0]!.body.endsWith('\n'));
  });

  test(`${name}: S3 redelivery of the same batch does not duplicate`, async () => {
    const roomId = newId();
    const b = batch(target('s3', roomId), entries(2, Date.now(), 'S3B'));
    assert.equal((await h.sink.deliver(b)).kind, 'ok');
    assert.equal((await h.sink.deliver(b)).kind, 'ok');
    const objects = (await h.s3Objects(h.existing.s3)).filter((o) => o.key.includes(roomId));
    assert.equal(objects.length, 1);
    assert.equal(lines(objects[0]!.body).length, 2);
  });

  test(`${name}: CloudWatch Logs creates the room's stream and appends batches in order`, async () => {
    const roomId = newId();
    const at = Date.now() - 5_000;
    const first = entries(4, at, 'CWA');
    const second = entries(3, at + 10, 'CWB');
    assert.deepEqual(await h.sink.deliver(batch(target('cloudWatchLogs', roomId), first)), { kind: 'ok' });
    assert.deepEqual(await h.sink.deliver(batch(target('cloudWatchLogs', roomId), second)), { kind: 'ok' });
    const events = await h.logEvents(h.existing.cloudWatchLogs, `aws/IVSChatLogs/1.0/room_${roomId}`);
    assert.deepEqual(events.map((e) => e.message), [...first, ...second].map((e) => e.line));
    assert.deepEqual(events.map((e) => e.timestamp), [...first, ...second].map((e) => e.at));
  });

  test(`${name}: CloudWatch Logs takes a batch at the API limit (10,000 events)`, async () => {
    const roomId = newId();
    const list = entries(10_000, Date.now() - 60_000, 'CWL');
    assert.deepEqual(await h.sink.deliver(batch(target('cloudWatchLogs', roomId), list)), { kind: 'ok' });
    const events = await h.logEvents(h.existing.cloudWatchLogs, `aws/IVSChatLogs/1.0/room_${roomId}`);
    assert.equal(events.length, 10_000);
    assert.equal(events[9_999]!.message, list[9_999]!.line);
  });

  test(`${name}: Firehose delivers every record as one NDJSON line, in order`, async () => {
    const before = (await h.firehoseOutput(h.existing.firehose)).flatMap(lines).length;
    const list = entries(500, Date.now(), 'FHA');
    assert.deepEqual(await h.sink.deliver(batch(target('firehose', 'ignored'), list)), { kind: 'ok' });
    const all = (await h.firehoseOutput(h.existing.firehose)).flatMap(lines);
    assert.equal(all.length, before + 500);
    assert.deepEqual(all.filter((l) => l.includes('"FHA')), list.map((e) => e.line));
  });

  test(`${name}: a missing destination fails the batch without throwing`, async (t) => {
    if (!h.missing) return t.skip('every destination name is valid for this sink');
    for (const kind of ['s3', 'cloudWatchLogs', 'firehose'] as const) {
      const outcome = await h.sink.deliver(batch(target(kind, newId(), h.missing[kind]), entries(2, Date.now(), 'MIS')));
      assert.equal(outcome.kind, 'failed', kind);
    }
  });

  test(`${name}: teardown`, async () => {
    await h.sink.close();
    await teardown();
  });
}
