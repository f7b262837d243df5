/**
 * AWS SDK clients on moto for chat-log tests: endpoints come only from the standard variables
 * (AWS_ENDPOINT_URL_S3 / _CLOUDWATCH_LOGS / _FIREHOSE), so every test also checks that the SDK
 * honours them. Plus destination setup and read-back helpers.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';

/** Where moto's Firehose streams created here write (under `<stream>/`). */
export const FIREHOSE_BUCKET = 'firehose-out';

export type AwsForTests = Awaited<ReturnType<typeof awsForTests>>;

/** Creates the bucket, the log group and a delivery stream (to FIREHOSE_BUCKET). */
export async function createDestinations(aws: AwsForTests, names: { bucket: string; logGroup: string; deliveryStream: string }): Promise<void> {
  const region = await aws.s3.config.region();
  for (const bucket of [names.bucket, FIREHOSE_BUCKET]) {
    // us-east-1 is the one region whose buckets take no location constraint.
    const location = region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
    await aws.s3.send(new CreateBucketCommand({ Bucket: bucket, ...location })).catch((err: Error) => {
      if (err.name !== 'BucketAlreadyOwnedByYou') throw err;
    });
  }
  await aws.logs.send(new CreateLogGroupCommand({ logGroupName: names.logGroup }));
  await aws.firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: names.deliveryStream,
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${FIREHOSE_BUCKET}`,
        RoleARN: 'arn:aws:iam::123456789012:role/firehose',
        Prefix: `${names.deliveryStream}/`,
      },
    }),
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
    /** Objects moto's Firehose wrote for `stream` (createDestinations points it at FIREHOSE_BUCKET). */
    async firehoseOutput(stream: string): Promise<string[]> {
      return (await this.objects(FIREHOSE_BUCKET, `${stream}/`)).map((o) => o.body);
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
