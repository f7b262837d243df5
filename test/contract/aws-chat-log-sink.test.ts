/**
 * The sink contract on the AWS sink, against moto. Endpoints reach the SDK only through the
 * standard variables (AWS_ENDPOINT_URL_S3 / _CLOUDWATCH_LOGS / _FIREHOSE), which this test
 * therefore also checks.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { AwsChatLogSink } from '../../src/chat-log/aws-chat-log-sink.js';
import { motoMissing, startMoto, type Moto } from '../helpers/moto.js';
import { chatLogSinkContract } from './chat-log-sink.contract.js';

const missing = motoMissing();
if (missing) {
  test('AWS sink contract against moto', { skip: missing }, () => {});
} else {
  let moto: Moto;
  chatLogSinkContract(
    'AWS sink (moto)',
    async () => {
      moto = await startMoto();
      const aws = await awsForTests(moto.endpoint, 'us-west-2');
      await aws.s3.send(new CreateBucketCommand({ Bucket: 'chat-bucket', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
      await aws.s3.send(new CreateBucketCommand({ Bucket: 'firehose-out', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
      await aws.logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/ivs/chat' }));
      await aws.firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'chat-stream',
          ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::firehose-out', RoleARN: 'arn:aws:iam::123456789012:role/firehose', Prefix: 'chat-stream/' },
        }),
      );
      return {
        sink: new AwsChatLogSink({ s3ForcePathStyle: true }),
        scope: { accountId: '123456789012', region: 'us-west-2' },
        existing: { s3: 'chat-bucket', cloudWatchLogs: '/aws/ivs/chat', firehose: 'chat-stream' },
        missing: { s3: 'no-such-bucket', cloudWatchLogs: '/no/such/group', firehose: 'no-such-stream' },
        s3Objects: (bucket) => aws.objects(bucket, ''),
        logEvents: (group, stream) => aws.events(group, stream),
        firehoseOutput: async () => (await aws.objects('firehose-out', 'chat-stream/')).map((o) => o.body),
      };
    },
    async () => {
      await moto.stop();
    },
  );
}

/** SDK clients on moto (endpoints from the standard variables) and read-back helpers. */
export async function awsForTests(endpoint: string, region: string) {
  for (const v of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'AWS_ENDPOINT_URL_FIREHOSE']) process.env[v] = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_PROFILE;
  const s3 = new S3Client({ region, forcePathStyle: true });
  const logs = new CloudWatchLogsClient({ region });
  const firehose = new FirehoseClient({ region });
  return {
    s3,
    logs,
    firehose,
    async objects(bucket: string, prefix: string): Promise<{ key: string; body: string }[]> {
      const out: { key: string; body: string }[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
          const bytes = Buffer.from(await got.Body!.transformToByteArray());
          out.push({ key: o.Key!, body: o.Key!.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8') });
        }
        token = page.NextContinuationToken;
      } while (token);
      return out;
    },
    async events(group: string, stream: string): Promise<{ timestamp: number; message: string }[]> {
      const out: { timestamp: number; message: string }[] = [];
      let token: string | undefined;
      for (;;) {
        const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token }));
        for (const e of page.events ?? []) out.push({ timestamp: e.timestamp!, message: e.message! });
        if (!page.nextForwardToken || page.nextForwardToken === token || (page.events ?? []).length === 0) return out;
        token = page.nextForwardToken;
      }
    },
  };
}
