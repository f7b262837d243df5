/**
 * Local chat-log sink (embedded default, no AWS): one tree per destination kind under
 * `<root>` (= `<dataDir>/chat-logs`), mirroring where AWS would put the data:
 * - `s3/<bucket>/<S3 key>`: one gzip NDJSON object per batch (key from s3ObjectKey);
 * - `cloudwatch-logs/<log group>/aws/IVSChatLogs/1.0/room_<id>.ndjson`: one NDJSON file per
 *   log group and stream, appended to;
 * - `firehose/<delivery stream>.ndjson`: one NDJSON file per delivery stream, appended to.
 * Destination names become single path segments (percent-encoded), so a name can never
 * climb out of its tree. S3 objects are written to a temporary name and renamed, so an object
 * is complete or absent and a retried batch replaces its own object.
 */
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { logStreamName, ndjson, s3ObjectKey, type ChatLogBatch, type ChatLogSink, type ChatLogTarget, type DeliveryOutcome } from './chat-log-sink.js';

const gzipAsync = promisify(gzip);

/** A destination name as one safe path segment. */
export function pathSegment(name: string): string {
  const encoded = encodeURIComponent(name);
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

/** Where the local sink keeps a target's records (for S3: the object of `batch`). */
export function localPath(root: string, target: ChatLogTarget, batch?: Pick<ChatLogBatch, 'batchId' | 'entries'>): string {
  switch (target.kind) {
    case 's3': {
      if (!batch) return join(root, 's3', pathSegment(target.name));
      return join(root, 's3', pathSegment(target.name), ...s3ObjectKey(target, batch.entries[0]!.at, batch.batchId).split('/'));
    }
    case 'cloudWatchLogs':
      return join(root, 'cloudwatch-logs', pathSegment(target.name), ...logStreamName(target.roomId).split('/')) + '.ndjson';
    case 'firehose':
      return join(root, 'firehose', pathSegment(target.name) + '.ndjson');
  }
}

export class LocalChatLogSink implements ChatLogSink {
  /** Directories known to exist (mkdir once per directory, not per batch). */
  private readonly dirs = new Set<string>();

  constructor(private readonly root: string) {}

  async deliver(batch: ChatLogBatch): Promise<DeliveryOutcome> {
    try {
      const path = localPath(this.root, batch.target, batch);
      const dir = dirname(path);
      if (!this.dirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.dirs.add(dir);
      }
      if (batch.target.kind === 's3') {
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, await gzipAsync(ndjson(batch.entries)));
        await rename(tmp, path);
      } else {
        await appendFile(path, ndjson(batch.entries));
      }
      return { kind: 'ok' };
    } catch (err) {
      this.dirs.clear(); // a directory may have been removed under us: make it again next time
      return { kind: 'failed', error: (err as Error).message };
    }
  }

  async close(): Promise<void> {}
}
