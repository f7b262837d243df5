/**
 * The sink contract on the AWS sink, against moto. Endpoints reach the SDK only through the
 * standard variables (AWS_ENDPOINT_URL_S3 / _CLOUDWATCH_LOGS / _FIREHOSE), which this test
 * therefore also checks.
 */
import { test } from 'node:test';
import { AwsChatLogSink } from '../../src/chat-log/aws-chat-log-sink.js';
import { awsForTests, createDestinations } from '../helpers/aws.js';
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
      await createDestinations(aws, { bucket: 'chat-bucket', logGroup: '/aws/ivs/chat', deliveryStream: 'chat-stream' });
      return {
        sink: new AwsChatLogSink({ s3ForcePathStyle: true }),
        scope: { accountId: '123456789012', region: 'us-west-2' },
        existing: { s3: 'chat-bucket', cloudWatchLogs: '/aws/ivs/chat', firehose: 'chat-stream' },
        missing: { s3: 'no-such-bucket', cloudWatchLogs: '/no/such/group', firehose: 'no-such-stream' },
        s3Objects: (bucket) => aws.objects(bucket, ''),
        logEvents: (group, stream) => aws.events(group, stream),
        firehoseOutput: (stream) => aws.firehoseOutput(stream),
      };
    },
    async () => {
      await moto.stop();
    },
  );
}

