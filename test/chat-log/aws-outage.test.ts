/**
 * Outage of real (moto) destinations: the pipeline starts while moto is not running, is
 * restarted while it is still down, and delivers everything exactly once when it comes up.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { AwsChatLogSink } from '../../src/chat-log/aws-chat-log-sink.js';
import { ChatLogPipeline } from '../../src/chat-log/chat-log-pipeline.js';
import { awsForTests, createDestinations } from '../helpers/aws.js';
import { freePort, motoMissing, startMoto } from '../helpers/moto.js';
import { loggingConfiguration, metricValue, room, waitFor } from './fixtures.js';

const missing = motoMissing();

test('moto down, Parlor restarted, moto up: every record arrives once', { skip: missing }, async () => {
  const port = await freePort();
  const aws = await awsForTests(`http://127.0.0.1:${port}`, 'us-west-2');
  const configs = [
    loggingConfiguration('cfgS3aaaaaaa', { s3: { bucketName: 'outage-bucket' } }),
    loggingConfiguration('cfgCWLaaaaaa', { cloudWatchLogs: { logGroupName: 'outage-group' } }),
    loggingConfiguration('cfgFHaaaaaaa', { firehose: { deliveryStreamName: 'outage-stream' } }),
  ];
  const byArn = new Map(configs.map((c) => [c.arn, c]));
  const spoolDir = mkdtempSync(join(tmpdir(), 'parlor-outage-'));
  const open = (registry: Registry) =>
    ChatLogPipeline.open({
      sink: new AwsChatLogSink({ s3ForcePathStyle: true, timeoutMs: 2_000 }),
      spoolDir,
      loadConfiguration: async (arn) => byArn.get(arn),
      registry,
      logger: pino({ level: 'silent' }),
      batching: { s3: { maxAgeMs: 50 }, cloudWatchLogs: { maxAgeMs: 50 }, firehose: { maxAgeMs: 50 } },
      retry: { baseMs: 50, maxMs: 300 },
    });
  const r = room('roomOutage01', configs.map((c) => c.arn));
  const frame = (i: number) => `{"Type":"MESSAGE","Id":"out${String(i).padStart(9, '0')}","Content":"m${i}"}`;
  const ids = Array.from({ length: 30 }, (_, i) => `out${String(i).padStart(9, '0')}`);
  const t0 = Date.now();

  const firstRegistry = new Registry();
  const first = await open(firstRegistry);
  for (let i = 0; i < 15; i++) first.record(r, 'MESSAGE', frame(i), t0 + i);
  await waitFor('failures on every kind', async () => (await metricValue(firstRegistry, 'parlor_chat_log_records_failed_total')) >= 45, 30_000);
  await first.close();

  const registry = new Registry();
  const second = await open(registry);
  for (let i = 15; i < 30; i++) second.record(r, 'EVENT', frame(i), t0 + i);
  const moto = await startMoto(port);
  try {
    await createDestinations(aws, { bucket: 'outage-bucket', logGroup: 'outage-group', deliveryStream: 'outage-stream' });
    await waitFor('30 delivered per kind', async () => (await metricValue(registry, 'parlor_chat_log_records_delivered_total')) >= 90, 30_000);
    await second.close();
    const idsOf = (bodies: string[]) => bodies.flatMap((b) => b.split('\n').filter(Boolean)).map((l) => JSON.parse(l).payload.Id as string);
    const s3 = idsOf((await aws.objects('outage-bucket', '')).map((o) => o.body));
    const logs = (await aws.events('outage-group', 'aws/IVSChatLogs/1.0/room_roomOutage01')).map((e) => JSON.parse(e.message).payload.Id as string);
    const firehose = idsOf(await aws.firehoseOutput('outage-stream'));
    assert.deepEqual(logs, ids, 'CloudWatch Logs: all, once, in order');
    assert.deepEqual([...s3].sort(), ids, 'S3: all, once');
    assert.deepEqual([...firehose].sort(), ids, 'Firehose: all, once');
  } finally {
    await moto.stop();
    rmSync(spoolDir, { recursive: true, force: true });
  }
});
