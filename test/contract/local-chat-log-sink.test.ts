import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LocalChatLogSink, pathSegment } from '../../src/chat-log/local-chat-log-sink.js';
import { chatLogSinkContract } from './chat-log-sink.contract.js';

const root = mkdtempSync(join(tmpdir(), 'parlor-local-sink-'));

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

const readLines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

chatLogSinkContract(
  'local sink',
  async () => ({
    sink: new LocalChatLogSink(root),
    scope: { accountId: '123456789012', region: 'us-west-2' },
    existing: { s3: 'chat-bucket', cloudWatchLogs: '/aws/ivs/../chat', firehose: '..' },
    missing: undefined,
    async s3Objects(bucket) {
      const base = join(root, 's3', pathSegment(bucket));
      return walk(base).map((p) => ({ key: relative(base, p).split(sep).join('/'), body: gunzipSync(readFileSync(p)).toString('utf8') }));
    },
    async logEvents(group, stream) {
      const text = readLines(join(root, 'cloudwatch-logs', pathSegment(group), ...stream.split('/')) + '.ndjson');
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((message) => ({ message, timestamp: Date.parse(JSON.parse(message).event_timestamp) }));
    },
    async firehoseOutput(stream) {
      return [readLines(join(root, 'firehose', pathSegment(stream) + '.ndjson'))];
    },
  }),
  async () => {
    // Names like ".." stay inside their tree.
    if (walk(root).some((p) => !p.startsWith(join(root, 's3')) && !p.startsWith(join(root, 'cloudwatch-logs')) && !p.startsWith(join(root, 'firehose')))) {
      throw new Error('a file escaped its destination tree');
    }
    rmSync(root, { recursive: true, force: true });
  },
);
