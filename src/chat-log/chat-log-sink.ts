/**
 * The chat-log sink port: delivers one batch of records to one destination. Implementations:
 * local-chat-log-sink.ts (files under the data directory, the embedded default) and
 * aws-chat-log-sink.ts (S3, CloudWatch Logs, Firehose through the AWS SDK v3).
 *
 * Contract:
 * - `deliver` never throws; it resolves with the outcome. A batch is all-or-nothing (`ok` or
 *   `failed`) except where the destination API accepts part of a call (Firehose), where the
 *   sink answers `partial` with the indices of the records that were NOT accepted, in order.
 * - A batch holds at most `SINK_LIMITS[kind]` records/bytes; callers cut batches to fit.
 * - Redelivering the same batch (same `batchId`) after `failed` is how callers retry. For S3
 *   this is idempotent (the object key derives from `batchId`); for CloudWatch Logs and
 *   Firehose a batch the destination stored but whose acknowledgement was lost arrives twice
 *   (at-least-once at that one edge).
 */
import type { Scope } from '../domain/arn.js';

export type DestinationKind = 's3' | 'cloudWatchLogs' | 'firehose';

/** Where a batch goes: one destination, for one room (S3 keys and log streams are per room). */
export interface ChatLogTarget extends Scope {
  readonly kind: DestinationKind;
  /** Bucket name, log group name or delivery stream name. */
  readonly name: string;
  /** Id of the room the records belong to (Firehose batches may mix rooms: then ''). */
  readonly roomId: string;
}

/** One formatted record: the NDJSON line without its newline, and when it was received. */
export interface ChatLogEntry {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly line: string;
}

export interface ChatLogBatch {
  readonly target: ChatLogTarget;
  /** Unique per batch and stable across retries and restarts (12-char `[a-zA-Z0-9]`). */
  readonly batchId: string;
  /** In the order they were recorded; at least one. */
  readonly entries: readonly ChatLogEntry[];
}

export type DeliveryOutcome =
  /**
   * Accepted. `rejected`: records the destination took but discarded for good (CloudWatch
   * Logs refuses events too old or too far ahead); retrying cannot help, callers count them.
   */
  | { readonly kind: 'ok'; readonly rejected?: { readonly count: number; readonly reason: string } }
  | { readonly kind: 'failed'; readonly error: string }
  /** `failed` holds the indices (ascending) of entries not accepted; the others were. */
  | { readonly kind: 'partial'; readonly failed: readonly number[]; readonly error: string };

export interface ChatLogSink {
  deliver(batch: ChatLogBatch): Promise<DeliveryOutcome>;
  /** Releases clients and handles; no delivery is in flight when called. */
  close(): Promise<void>;
}

export interface SinkLimits {
  readonly maxRecords: number;
  /** Bytes per call, counting each record as its UTF-8 length plus `perRecordOverhead`. */
  readonly maxBytes: number;
  readonly perRecordOverhead: number;
}

/** API limits per destination kind (S3 has none that matter; 5 MB keeps objects handy). */
export const SINK_LIMITS: Readonly<Record<DestinationKind, SinkLimits>> = {
  s3: { maxRecords: 1_000_000, maxBytes: 5 * 1024 * 1024, perRecordOverhead: 1 },
  // PutLogEvents: 10,000 events, 1,048,576 bytes counting 26 bytes per event.
  cloudWatchLogs: { maxRecords: 10_000, maxBytes: 1_048_576, perRecordOverhead: 26 },
  // PutRecordBatch: 500 records, 4 MiB; each record carries a trailing newline.
  firehose: { maxRecords: 500, maxBytes: 4 * 1024 * 1024, perRecordOverhead: 1 },
};

/** The CloudWatch Logs stream of a room, as AWS names it. */
export function logStreamName(roomId: string): string {
  return `aws/IVSChatLogs/1.0/room_${roomId}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * The S3 object key of a batch, as AWS lays chat logs out: date folders and minute stamp from
 * the first record's time (UTC), `batchId` as the unique part.
 */
export function s3ObjectKey(target: ChatLogTarget, firstAt: number, batchId: string): string {
  const d = new Date(firstAt);
  const [y, mo, da, h, mi] = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours()), pad(d.getUTCMinutes())];
  const room = `room_${target.roomId}`;
  const prefix = `AWSLogs/${target.accountId}/IVSChatLogs/1.0/${target.region}/${room}/${y}/${mo}/${da}/${h}`;
  return `${prefix}/${target.accountId}_IVSChatLogs_1.0_${target.region}_${room}_${y}${mo}${da}T${h}${mi}Z_${batchId}.log.gz`;
}

/** The NDJSON body of a batch: every line followed by a newline. */
export function ndjson(entries: readonly ChatLogEntry[]): string {
  let body = '';
  for (const e of entries) body += e.line + '\n';
  return body;
}
