import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ChatLogPipeline, type ChatLogPipelineOptions } from '../../src/chat-log/chat-log-pipeline.js';
import type { LoggingConfiguration } from '../../src/domain/logging-configuration.js';
import { captureLogger, FakeSink, loggingConfiguration, metricValue, room, waitFor } from './fixtures.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function spoolDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'parlor-spool-'));
  dirs.push(d);
  return d;
}

const S3 = loggingConfiguration('cfgS3aaaaaaa', { s3: { bucketName: 'bucket-one' } });
const CWL = loggingConfiguration('cfgCWLaaaaaa', { cloudWatchLogs: { logGroupName: '/parlor/chat' } });
const FH = loggingConfiguration('cfgFHaaaaaaa', { firehose: { deliveryStreamName: 'stream-one' } });

function open(sink: FakeSink, configs: LoggingConfiguration[], extra: Partial<ChatLogPipelineOptions> = {}) {
  const byArn = new Map(configs.map((c) => [c.arn, c]));
  const registry = new Registry();
  const loads: string[] = [];
  const options: ChatLogPipelineOptions = {
    sink,
    spoolDir: extra.spoolDir ?? spoolDir(),
    loadConfiguration: async (arn) => {
      loads.push(arn);
      return byArn.get(arn);
    },
    registry,
    logger: pino({ level: 'silent' }),
    batching: { s3: { maxAgeMs: 20 }, cloudWatchLogs: { maxAgeMs: 20 }, firehose: { maxAgeMs: 20 } },
    retry: { baseMs: 5, maxMs: 40 },
    ...extra,
  };
  return { pipeline: ChatLogPipeline.open(options), registry, loads, byArn, options };
}

function frame(i: number): string {
  return `{"Type":"MESSAGE","Id":"msg${String(i).padStart(9, '0')}","RequestId":"","Content":"hello ${i} \\u00e9\\"","SendTime":"2026-01-02T03:04:05.123456789Z","Sender":{"UserId":"u","Attributes":{}}}`;
}

test('each frame becomes one record per configuration, with the exact payload, in order', async () => {
  const sink = new FakeSink();
  const { pipeline: opening } = open(sink, [S3, CWL, FH]);
  const pipeline = await opening;
  const r = room('roomAAAAAAAA', [S3.arn, CWL.arn, FH.arn]);
  const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  for (let i = 0; i < 5; i++) pipeline.record(r, i % 2 ? 'EVENT' : 'MESSAGE', frame(i), at + i);
  await waitFor('all records', () => ['bucket-one', '/parlor/chat', 'stream-one'].every((n) => sink.lines(n).length === 5));
  const expected = [0, 1, 2, 3, 4].map(
    (i) => `{"event_timestamp":"2026-01-02T03:04:05.${678 + i}Z","type":"${i % 2 ? 'EVENT' : 'MESSAGE'}","version":"1.0","payload":${frame(i)}}`,
  );
  for (const name of ['bucket-one', '/parlor/chat', 'stream-one']) assert.deepEqual(sink.lines(name), expected);
  assert.equal(JSON.parse(expected[0]!).payload.Content, 'hello 0 é"');
  await pipeline.close();
});

test('batches are cut by count and by age', async () => {
  const sink = new FakeSink();
  const sizes: number[] = [];
  sink.script = (b) => (sizes.push(b.entries.length), { kind: 'ok' });
  const pipeline = await open(sink, [CWL], { batching: { cloudWatchLogs: { maxRecords: 3, maxAgeMs: 30 } } }).pipeline;
  const r = room('roomAAAAAAAA', [CWL.arn]);
  // The first lookup is asynchronous; records wait for it in order.
  for (let i = 0; i < 7; i++) pipeline.record(r, 'MESSAGE', frame(i), 1000 + i);
  await waitFor('7 records', () => sink.lines('/parlor/chat').length === 7);
  assert.deepEqual(sizes, [3, 3, 1]);
  await pipeline.close();
});

test('the configuration is looked up once and changes apply to the next record', async () => {
  const sink = new FakeSink();
  const { pipeline: opening, loads } = open(sink, [S3]);
  const pipeline = await opening;
  const r = room('roomAAAAAAAA', [S3.arn]);
  pipeline.record(r, 'MESSAGE', frame(0), 1);
  pipeline.record(r, 'MESSAGE', frame(1), 2);
  await waitFor('first two', () => sink.lines('bucket-one').length === 2);
  pipeline.loggingConfigurationUpdated({ ...S3, destinationConfiguration: { s3: { bucketName: 'bucket-two' } } });
  pipeline.record(r, 'MESSAGE', frame(2), 3);
  await waitFor('moved record', () => sink.lines('bucket-two').length === 1);
  pipeline.loggingConfigurationDeleted(S3);
  pipeline.record(r, 'MESSAGE', frame(3), 4);
  pipeline.flush();
  await pipeline.close();
  assert.equal(sink.lines('bucket-one').length, 2);
  assert.equal(sink.lines('bucket-two').length, 1);
  assert.deepEqual(loads, [S3.arn]);
});

test('a destination that is down then comes back gets every record once, in order', async () => {
  const sink = new FakeSink();
  let up = false;
  sink.script = () => (up ? { kind: 'ok' } : { kind: 'failed', error: 'destination down' });
  const { pipeline: opening, registry } = open(sink, [FH]);
  const pipeline = await opening;
  const r = room('roomAAAAAAAA', [FH.arn]);
  for (let i = 0; i < 10; i++) pipeline.record(r, 'MESSAGE', frame(i), i);
  await waitFor('a failed delivery', async () => (await metricValue(registry, 'parlor_chat_log_records_failed_total')) > 0);
  assert.equal(await metricValue(registry, 'parlor_chat_log_delivery_status', { configuration: FH.arn }), 0);
  for (let i = 10; i < 20; i++) pipeline.record(r, 'MESSAGE', frame(i), i);
  await waitFor('spooled records', async () => (await metricValue(registry, 'parlor_chat_log_records_spooled_total', { kind: 'firehose' })) >= 20);
  up = true;
  await waitFor('all records', () => sink.lines('stream-one').length >= 20);
  await pipeline.close();
  assert.deepEqual(
    sink.lines('stream-one').map((l) => JSON.parse(l).payload.Id),
    Array.from({ length: 20 }, (_, i) => `msg${String(i).padStart(9, '0')}`),
  );
  assert.equal(await metricValue(registry, 'parlor_chat_log_delivery_status', { configuration: FH.arn }), 1);
  assert.equal(await metricValue(registry, 'parlor_chat_log_records_delivered_total', { kind: 'firehose' }), 20);
});

test('a restart while the destination is down loses nothing and repeats nothing', async () => {
  const dir = spoolDir();
  const down = new FakeSink();
  down.script = () => ({ kind: 'failed', error: 'down' });
  const first = await open(down, [S3, CWL], { spoolDir: dir }).pipeline;
  const r = room('roomAAAAAAAA', [S3.arn, CWL.arn]);
  for (let i = 0; i < 12; i++) first.record(r, 'MESSAGE', frame(i), i);
  await waitFor('first failure', () => down.calls > 0);
  for (let i = 12; i < 25; i++) first.record(r, 'EVENT', frame(i), i);
  await first.close();
  assert.ok(readdirSync(dir).length >= 2, 'one spool directory per lane');

  const sink = new FakeSink();
  const second = await open(sink, [S3, CWL], { spoolDir: dir }).pipeline;
  for (let i = 25; i < 30; i++) second.record(r, 'MESSAGE', frame(i), i);
  const want = Array.from({ length: 30 }, (_, i) => `msg${String(i).padStart(9, '0')}`);
  await waitFor('replayed records', () => sink.lines('bucket-one').length >= 30 && sink.lines('/parlor/chat').length >= 30);
  await second.close();
  for (const name of ['bucket-one', '/parlor/chat']) assert.deepEqual(sink.lines(name).map((l) => JSON.parse(l).payload.Id), want);
  for (const lane of readdirSync(dir)) assert.deepEqual(readdirSync(join(dir, lane)).filter((f) => f.endsWith('.seg')), []);
});

test('after a partial acceptance only the refused records are retried', async () => {
  const sink = new FakeSink();
  sink.script = (b, call) => (call === 1 ? { kind: 'partial', failed: [1, 3], error: 'throttled' } : { kind: 'ok' });
  const pipeline = await open(sink, [FH], { batching: { firehose: { maxRecords: 5 } } }).pipeline;
  const r = room('roomAAAAAAAA', [FH.arn]);
  for (let i = 0; i < 5; i++) pipeline.record(r, 'MESSAGE', frame(i), i);
  await waitFor('all five', () => sink.lines('stream-one').length >= 5);
  await pipeline.close();
  assert.deepEqual(sink.lines('stream-one').map((l) => JSON.parse(l).payload.Id.slice(-1)), ['0', '2', '4', '1', '3']);
});

test('hitting the spool bound drops records, counts them and says so', async () => {
  const sink = new FakeSink();
  sink.script = () => ({ kind: 'failed', error: 'down' });
  const { logger, lines } = captureLogger();
  const { pipeline: opening, registry } = open(sink, [CWL], { maxSpoolBytes: 600, logger, batching: { cloudWatchLogs: { maxRecords: 1 } } });
  const pipeline = await opening;
  const r = room('roomAAAAAAAA', [CWL.arn]);
  for (let i = 0; i < 5; i++) pipeline.record(r, 'MESSAGE', frame(i), i);
  await waitFor('drops', async () => (await metricValue(registry, 'parlor_chat_log_records_dropped_total', { reason: 'spool-full' })) > 0);
  await pipeline.close();
  const spooled = await metricValue(registry, 'parlor_chat_log_records_spooled_total');
  const dropped = await metricValue(registry, 'parlor_chat_log_records_dropped_total');
  assert.equal(spooled + dropped, 5);
  assert.ok(lines.some((l) => l.includes('chat-log records dropped') && l.includes('spool-full')));
});

test('hitting the memory bound drops records, counts them and says so', async () => {
  const sink = new FakeSink();
  const { logger, lines } = captureLogger();
  const { pipeline: opening, registry } = open(sink, [S3], { maxQueuedRecords: 3, logger, batching: { s3: { maxAgeMs: 60_000 } } });
  const pipeline = await opening;
  const r = room('roomAAAAAAAA', [S3.arn]);
  for (let i = 0; i < 5; i++) pipeline.record(r, 'MESSAGE', frame(i), i);
  await waitFor('drops', async () => (await metricValue(registry, 'parlor_chat_log_records_dropped_total', { reason: 'queue-full' })) === 2);
  await pipeline.close();
  assert.equal(sink.lines('bucket-one').length, 3);
  assert.ok(lines.some((l) => l.includes('queue-full')));
});

test('a destination that hangs at shutdown does not hold it up: the batch is spooled', async () => {
  const dir = spoolDir();
  const hanging = new FakeSink();
  const never = new Promise<never>(() => {});
  hanging.deliver = () => never;
  const first = await open(hanging, [CWL], { spoolDir: dir, closeTimeoutMs: 50 }).pipeline;
  const r = room('roomAAAAAAAA', [CWL.arn]);
  for (let i = 0; i < 3; i++) first.record(r, 'MESSAGE', frame(i), i);
  await first.close();
  const sink = new FakeSink();
  const second = await open(sink, [CWL], { spoolDir: dir }).pipeline;
  await waitFor('replayed', () => sink.lines('/parlor/chat').length >= 3);
  await second.close();
  assert.deepEqual(sink.lines('/parlor/chat').map((l) => JSON.parse(l).payload.Id), [0, 1, 2].map((i) => `msg${String(i).padStart(9, '0')}`));
});
