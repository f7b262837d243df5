/**
 * Conformance with the Python world: boto3 (boto3_conformance.py, the documented update_room
 * call and friends) and the AWS CLI (`aws ivschat ...`) against a server on port 0. Each part
 * is skipped, loudly, where its tool is missing on this machine.
 */
import { GetRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serverPerFile } from '../../helpers/server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const server = serverPerFile();

/** Whether a command can run here; checked at test time, never assumed. */
function available(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}
const python = available('python3', ['--version']);
const boto3 = python && available('python3', ['-c', 'import boto3']);
const awsCli = available('aws', ['--version']);
const boto3Skip = !python ? 'python3 is not installed' : !boto3 ? 'boto3 is not installed (pip install boto3)' : undefined;
const awsSkip = awsCli ? undefined : 'the AWS CLI (`aws`) is not installed';
for (const reason of [boto3Skip, awsSkip]) if (reason) console.warn(`SKIPPING conformance: ${reason}`);

/** AWS config files that do not exist, so no profile or key on the machine leaks into the run. */
const noConfig = mkdtempSync(join(tmpdir(), 'parlor-aws-'));
after(() => rmSync(noConfig, { recursive: true, force: true }));
const awsEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: join(noConfig, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(noConfig, 'credentials'),
  AWS_PAGER: '',
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs a child asynchronously (the server lives in this process and must keep answering). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = awsEnv()): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('boto3', () => {
  test('update_room as documented, create_room, list_rooms paging, tags and errors', boto3Skip ? { skip: boto3Skip } : {}, async () => {
    const r = await run('python3', [join(HERE, 'boto3_conformance.py'), server.parlor.endpoint]);
    assert.equal(r.code, 0, `boto3 script failed:\n${r.stderr}\n${r.stdout}`);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ok: boolean; checks: string[]; roomArn: string };
    assert.deepEqual(summary.checks, ['update_room', 'update_room_partial', 'validation_errors', 'errors', 'list_rooms_paging', 'tags', 'regions']);
    // What boto3 wrote is what the JS SDK reads.
    const room = await server.client().send(new GetRoomCommand({ identifier: summary.roomArn }));
    assert.equal(room.name, 'string');
    assert.equal(room.maximumMessageLength, 123);
  });
});

describe('AWS CLI', () => {
  const aws = (...args: string[]) => run('aws', ['ivschat', ...args, '--endpoint-url', server.parlor.endpoint, '--output', 'json']);
  const json = (r: Run): Record<string, unknown> => {
    assert.equal(r.code, 0, `aws failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  test('create-room, update-room, get-room; errors exit non-zero naming the exception', awsSkip ? { skip: awsSkip } : {}, async () => {
    const log = json(await aws('create-logging-configuration', '--destination-configuration', 's3={bucketName=cli-logs}'));
    const room = json(await aws('create-room', '--name', 'cli-room', '--tags', 'team=cli'));
    assert.equal(room['maximumMessageLength'], 500);
    assert.match(room['createTime'] as string, /^\d{4}-\d\d-\d\dT/);
    const updated = json(
      await aws(
        'update-room',
        '--identifier', room['arn'] as string,
        '--name', 'cli-updated',
        '--maximum-message-rate-per-second', '5',
        '--maximum-message-length', '200',
        '--message-review-handler', 'uri=arn:aws:lambda:us-east-1:123456789012:function:review,fallbackResult=DENY',
        '--logging-configuration-identifiers', log['arn'] as string,
      ),
    );
    assert.equal(updated['name'], 'cli-updated');
    assert.equal(updated['maximumMessageRatePerSecond'], 5);
    assert.equal(updated['maximumMessageLength'], 200);
    assert.deepEqual(updated['messageReviewHandler'], { uri: 'arn:aws:lambda:us-east-1:123456789012:function:review', fallbackResult: 'DENY' });
    assert.deepEqual(updated['loggingConfigurationIdentifiers'], [log['arn']]);
    assert.deepEqual(updated['tags'], { team: 'cli' });
    const got = json(await aws('get-room', '--identifier', room['arn'] as string));
    assert.equal(got['name'], 'cli-updated');
    assert.equal(got['updateTime'], updated['updateTime']);

    const missing = (room['arn'] as string).replace(/[^/]+$/, 'Missing00001');
    const notFound = await aws('get-room', '--identifier', missing);
    assert.notEqual(notFound.code, 0);
    assert.match(notFound.stderr, /ResourceNotFoundException/);
    const invalid = await aws('update-room', '--identifier', room['arn'] as string, '--maximum-message-length', '501');
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /ValidationException/);
  });

  test('AWS_ENDPOINT_URL_IVSCHAT alone points the CLI at Parlor', awsSkip ? { skip: awsSkip } : {}, async () => {
    const r = await run('aws', ['ivschat', 'list-rooms', '--output', 'json'], { ...awsEnv(), AWS_ENDPOINT_URL_IVSCHAT: server.parlor.endpoint });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Array.isArray((JSON.parse(r.stdout) as { rooms: unknown }).rooms));
  });
});
