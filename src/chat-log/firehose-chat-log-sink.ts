/**
 * Firehose part of the AWS sink: `PutRecordBatch`, one Firehose record per chat-log record,
 * each ending in a newline (so objects Firehose writes to S3 are NDJSON). When the answer has
 * a FailedPutCount, only the refused records are sent again, a few times with a short pause;
 * what is still refused is reported as `partial` so the caller keeps exactly those.
 */
import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { ChatLogBatch, DeliveryOutcome } from './chat-log-sink.js';
import { describeError, type CallOptions } from './aws-clients.js';

/** Calls per batch (the first plus retries of refused records). */
const ATTEMPTS = 3;

export async function deliverToFirehose(client: FirehoseClient, batch: ChatLogBatch, call: CallOptions): Promise<DeliveryOutcome> {
  let pending = batch.entries.map((_, i) => i);
  let error = '';
  for (let attempt = 0; attempt < ATTEMPTS && pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, call.partialRetryMs * attempt));
    try {
      const out = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: batch.target.name,
          Records: pending.map((i) => ({ Data: Buffer.from(batch.entries[i]!.line + '\n') })),
        }),
        { abortSignal: AbortSignal.timeout(call.timeoutMs) },
      );
      if (!out.FailedPutCount) return { kind: 'ok' };
      const responses = out.RequestResponses ?? [];
      const refused = pending.filter((_, k) => responses[k]?.ErrorCode !== undefined || responses[k] === undefined);
      error = responses.find((r) => r.ErrorCode)?.ErrorMessage ?? `${out.FailedPutCount} records refused`;
      pending = refused;
    } catch (err) {
      error = describeError(err);
      break;
    }
  }
  if (pending.length === 0) return { kind: 'ok' };
  return pending.length === batch.entries.length ? { kind: 'failed', error } : { kind: 'partial', failed: pending, error };
}
