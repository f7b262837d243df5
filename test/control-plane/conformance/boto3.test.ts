/**
 * Conformance with the Python world: boto3 (boto3_conformance.py, the documented update_room
 * call and friends) and the AWS CLI (`aws ivschat ...`) against a server on port 0. Each part
 * is skipped, loudly, where its tool is missing on this machine.
 */
import { GetRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { awsCliMissing, awsSandbox, boto3Missing, run as runChild, type Run } from '../../helpers/python-aws.js';
import { serverPerFile } from '../../helpers/server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const server = serverPerFile();

const boto3Skip = boto3Missing();
const awsSkip = awsCliMissing();
for (const reason of [boto3Skip, awsSkip]) if (reason) console.warn(`SKIPPING conformance: ${reason}`);

const sandbox = awsSandbox();
after(() => sandbox.cleanup());
const awsEnv = sandbox.env;
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = awsEnv()): Promise<Run> => runChild(cmd, args, env);

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
