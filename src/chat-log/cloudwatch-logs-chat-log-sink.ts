/**
 * CloudWatch Logs part of the AWS sink: one `PutLogEvents` per batch to the room's stream
 * `aws/IVSChatLogs/1.0/room_<id>` in the configured log group. The stream is created when the
 * put reports it missing (the group must exist, as on AWS). Event timestamps are the records'
 * receive times, made non-decreasing within a batch because the API wants them in order.
 */
import {
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { logStreamName, type ChatLogBatch, type DeliveryOutcome } from './chat-log-sink.js';
import { describeError, type CallOptions } from './aws-clients.js';

export async function deliverToCloudWatchLogs(client: CloudWatchLogsClient, batch: ChatLogBatch, call: CallOptions): Promise<DeliveryOutcome> {
  const logGroupName = batch.target.name;
  const logStream = logStreamName(batch.target.roomId);
  let last = 0;
  const logEvents = batch.entries.map((e) => ({ timestamp: (last = Math.max(last, e.at)), message: e.line }));
  const put = () =>
    client.send(new PutLogEventsCommand({ logGroupName, logStreamName: logStream, logEvents }), { abortSignal: AbortSignal.timeout(call.timeoutMs) });
  try {
    let result;
    try {
      result = await put();
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      await client
        .send(new CreateLogStreamCommand({ logGroupName, logStreamName: logStream }), { abortSignal: AbortSignal.timeout(call.timeoutMs) })
        .catch((e: unknown) => {
          if (!(e instanceof ResourceAlreadyExistsException)) throw e;
        });
      result = await put();
    }
    const info = result.rejectedLogEventsInfo;
    if (!info) return { kind: 'ok' };
    // Indices are inclusive/exclusive bounds of the refused head and tail of the batch.
    const tooOld = info.tooOldLogEventEndIndex ?? -1;
    const expired = info.expiredLogEventEndIndex ?? -1;
    const tooNew = info.tooNewLogEventStartIndex ?? logEvents.length;
    const count = Math.max(tooOld, expired) + 1 + (logEvents.length - tooNew);
    return count > 0 ? { kind: 'ok', rejected: { count, reason: `CloudWatch Logs rejected events: ${JSON.stringify(info)}` } } : { kind: 'ok' };
  } catch (err) {
    return { kind: 'failed', error: describeError(err) };
  }
}
