/** Counts what the local chat-log sink wrote under a data directory, per destination kind. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '').length;

export function countChatLogRecords(dataDir: string): string {
  const root = join(dataDir, 'chat-logs');
  const count = (kind: string, read: (path: string) => string) => files(join(root, kind)).reduce((n, p) => n + lines(read(p)), 0);
  const s3 = count('s3', (p) => gunzipSync(readFileSync(p)).toString('utf8'));
  const cwl = count('cloudwatch-logs', (p) => readFileSync(p, 'utf8'));
  const firehose = count('firehose', (p) => readFileSync(p, 'utf8'));
  return `${s3} records in S3 objects, ${cwl} in CloudWatch Logs streams, ${firehose} in Firehose streams`;
}
