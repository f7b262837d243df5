/**
 * S3 part of the AWS sink: one `PutObject` per batch, gzip NDJSON, under the key AWS uses for
 * chat logs (s3ObjectKey). The key derives from the batch id, so a retried batch overwrites
 * its own object: redelivery is idempotent.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ndjson, s3ObjectKey, type ChatLogBatch, type DeliveryOutcome } from './chat-log-sink.js';
import { describeError, type CallOptions } from './aws-clients.js';

const gzipAsync = promisify(gzip);

export async function deliverToS3(client: S3Client, batch: ChatLogBatch, call: CallOptions): Promise<DeliveryOutcome> {
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: batch.target.name,
        Key: s3ObjectKey(batch.target, batch.entries[0]!.at, batch.batchId),
        Body: await gzipAsync(ndjson(batch.entries)),
        ContentType: 'application/gzip',
      }),
      { abortSignal: AbortSignal.timeout(call.timeoutMs) },
    );
    return { kind: 'ok' };
  } catch (err) {
    return { kind: 'failed', error: describeError(err) };
  }
}
