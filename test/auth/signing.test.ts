/**
 * SigV4 verification against the signatures real clients make (JS SDK, boto3, AWS CLI,
 * @smithy/signature-v4's presign), and the named 403s for requests altered after signing.
 */
import { CreateRoomCommand, GetRoomCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { ADMIN, ADMIN_ACCOUNT, assertAwsError, credential, presign, send, sendSigned, sign, startEnforced } from './support.js';

let server: TestServer;
let endpoint: string;
before(async () => {
  server = await startEnforced({ accounts: [{ id: ADMIN_ACCOUNT, credentials: [credential(ADMIN)] }] });
  endpoint = server.parlor.endpoint;
});
after(() => server?.stop());

const tagsPath = (arn: string) => `/tags/${encodeURIComponent(arn)}`;

async function newRoomArn(name = 'room'): Promise<string> {
  const created = await server.client('us-east-1', ADMIN).send(new CreateRoomCommand({ name }));
  return created.arn!;
}

describe('the JS SDK', () => {
  test('signs rooms and tag operations (percent-encoded ARN, repeated tagKeys) that succeed', async () => {
    const client = server.client('us-east-1', ADMIN);
    const arn = await newRoomArn('sdk');
    assert.match(arn, new RegExp(`^arn:aws:ivschat:us-east-1:${ADMIN_ACCOUNT}:room/`));
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '1', b: '2', 'c d/é': '3' } }));
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'c d/é'] }));
    const tags = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(tags.tags, { b: '2' });
    const got = await client.send(new GetRoomCommand({ identifier: arn }));
    assert.equal(got.name, 'sdk');
  });
});

const python = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const cli = spawnSync('aws', ['--version'], { encoding: 'utf8' });

/** Runs a client process without blocking this process's event loop (the server lives here). */
function run(command: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: clientEnv(), timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Environment for python clients: only the given key pair, no profile or session token leaking in. */
function clientEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return {
    ...env,
    AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/parlor-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/parlor-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

const BOTO3_SCRIPT = `
import json, sys, boto3
c = boto3.client('ivschat', endpoint_url=sys.argv[1], region_name='us-east-1')
room = c.create_room(name='boto')
arn = room['arn']
c.tag_resource(resourceArn=arn, tags={'a': '1', 'b': '2', 'k:x/y': '3'})
c.untag_resource(resourceArn=arn, tagKeys=['a', 'k:x/y'])
c.update_room(identifier=arn, maximumMessageLength=42)
print(json.dumps({'arn': arn, 'tags': c.list_tags_for_resource(resourceArn=arn)['tags'],
                  'len': c.get_room(identifier=arn)['maximumMessageLength']}))
`;

test('boto3 signs requests that succeed, tags with a percent-encoded ARN included', { skip: python.status === 0 ? false : 'boto3 not installed (python3 -c "import boto3" failed)' }, async () => {
  const boto = await run('python3', ['-c', BOTO3_SCRIPT, endpoint]);
  assert.equal(boto.status, 0, boto.stderr);
  const out = JSON.parse(boto.stdout) as { arn: string; tags: Record<string, string>; len: number };
  assert.match(out.arn, new RegExp(`:${ADMIN_ACCOUNT}:room/`));
  assert.deepEqual(out.tags, { b: '2' });
  assert.equal(out.len, 42);
});

test('the AWS CLI signs requests that succeed', { skip: cli.status === 0 ? false : 'the AWS CLI (aws) is not installed' }, async () => {
  const aws = async (...args: string[]) => {
    const out = await run('aws', ['ivschat', ...args, '--endpoint-url', endpoint, '--output', 'json']);
    assert.equal(out.status, 0, out.stderr);
    return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {};
  };
  const arn = (await aws('create-room', '--name', 'cli')).arn as string;
  await aws('tag-resource', '--resource-arn', arn, '--tags', 'a=1,b=2,c=3');
  await aws('untag-resource', '--resource-arn', arn, '--tag-keys', 'a', 'c');
  assert.deepEqual((await aws('list-tags-for-resource', '--resource-arn', arn)).tags, { b: '2' });
});

describe('presigned (query-string) requests', () => {
  test('a presigned GET of tags and a presigned POST with a body succeed', async () => {
    const arn = await newRoomArn('presigned');
    const tagsRes = await sendSigned(endpoint, await presign(endpoint, { method: 'GET', path: tagsPath(arn) }));
    assert.equal(tagsRes.status, 200, tagsRes.body);
    const body = JSON.stringify({ identifier: arn });
    const getRes = await sendSigned(endpoint, await presign(endpoint, { method: 'POST', path: '/GetRoom', body }));
    assert.equal(getRes.status, 200, getRes.body);
    assert.equal((JSON.parse(getRes.body) as { name: string }).name, 'presigned');
  });

  test('an expired presigned request is InvalidSignatureException', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const s = await presign(endpoint, { method: 'POST', path: '/ListRooms', body: '{}' }, ADMIN, 'us-east-1', 60, tenMinutesAgo);
    assertAwsError(await sendSigned(endpoint, s), 403, 'InvalidSignatureException');
  });

  test('a presigned request whose query was altered is InvalidSignatureException', async () => {
    const s = await presign(endpoint, { method: 'POST', path: '/ListRooms', body: '{}', query: {} });
    assertAwsError(await sendSigned(endpoint, { ...s, rawQuery: `${s.rawQuery}&extra=1` }), 403, 'InvalidSignatureException');
  });
});

describe('requests altered or badly signed get their named 403', () => {
  const listRooms = { method: 'POST', path: '/ListRooms', body: '{}' };

  test('a correctly signed raw request succeeds (the baseline the others alter)', async () => {
    const res = await sendSigned(endpoint, await sign(endpoint, listRooms));
    assert.equal(res.status, 200, res.body);
  });

  test('a wrong secret is InvalidSignatureException', async () => {
    const s = await sign(endpoint, listRooms, { accessKeyId: ADMIN.accessKeyId, secretAccessKey: 'not-the-secret-at-all' });
    assertAwsError(await sendSigned(endpoint, s), 403, 'InvalidSignatureException');
  });

  test('an unknown access key is UnrecognizedClientException', async () => {
    const s = await sign(endpoint, listRooms, { accessKeyId: 'AKIAUNKNOWNKEY00', secretAccessKey: ADMIN.secretAccessKey });
    assertAwsError(await sendSigned(endpoint, s), 403, 'UnrecognizedClientException');
  });

  test('an x-amz-date more than 15 minutes old or ahead is InvalidSignatureException', async () => {
    for (const offset of [-16 * 60_000, 16 * 60_000]) {
      const s = await sign(endpoint, listRooms, ADMIN, 'us-east-1', new Date(Date.now() + offset));
      assertAwsError(await sendSigned(endpoint, s), 403, 'InvalidSignatureException');
    }
    const within = await sign(endpoint, listRooms, ADMIN, 'us-east-1', new Date(Date.now() - 14 * 60_000));
    assert.equal((await sendSigned(endpoint, within)).status, 200);
  });

  test('a tampered body is InvalidSignatureException, with and without a claimed x-amz-content-sha256', async () => {
    const arn = await newRoomArn('tamper');
    const body = JSON.stringify({ identifier: arn, name: 'mine' });
    const s = await sign(endpoint, { method: 'POST', path: '/UpdateRoom', body });
    assert.ok(s.headers['x-amz-content-sha256'], 'the signer claims the payload hash in a header');
    const tampered = body.replace('mine', 'evil');
    assertAwsError(await sendSigned(endpoint, { ...s, body: tampered }), 403, 'InvalidSignatureException');
    const { ['x-amz-content-sha256']: _claimed, ...withoutHash } = s.headers;
    assertAwsError(await sendSigned(endpoint, { ...s, headers: withoutHash, body: tampered }), 403, 'InvalidSignatureException');
    const got = await server.client('us-east-1', ADMIN).send(new GetRoomCommand({ identifier: arn }));
    assert.equal(got.name, 'tamper');
  });

  test('a tampered path is InvalidSignatureException', async () => {
    const mine = await newRoomArn('path-a');
    const other = await newRoomArn('path-b');
    const s = await sign(endpoint, { method: 'GET', path: tagsPath(mine) });
    assert.equal((await sendSigned(endpoint, s)).status, 200);
    assertAwsError(await sendSigned(endpoint, { ...s, path: tagsPath(other) }), 403, 'InvalidSignatureException');
  });

  test('a missing Authorization is MissingAuthenticationTokenException', async () => {
    const s = await sign(endpoint, listRooms);
    const { authorization: _auth, ...unsigned } = s.headers;
    assertAwsError(await sendSigned(endpoint, { ...s, headers: unsigned }), 403, 'MissingAuthenticationTokenException');
    assertAwsError(await send(endpoint, '/ListRooms', '', 'POST', { 'content-type': 'application/json' }, '{}'), 403, 'MissingAuthenticationTokenException');
  });

  test('a malformed Authorization is IncompleteSignatureException (400)', async () => {
    const s = await sign(endpoint, listRooms);
    for (const authorization of ['Bearer abc', 'AWS4-HMAC-SHA256 Credential=only', s.headers.authorization!.replace('/aws4_request', '/aws5_request')]) {
      assertAwsError(await sendSigned(endpoint, { ...s, headers: { ...s.headers, authorization } }), 400, 'IncompleteSignatureException');
    }
  });

  test('signed header names that are Object properties (constructor, __proto__, toString) are InvalidSignatureException, not a crash', async () => {
    const s = await sign(endpoint, listRooms);
    for (const name of ['constructor', '__proto__', 'tostring', 'hasownproperty']) {
      const authorization = s.headers.authorization!.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${name};host;x-amz-date`);
      assertAwsError(await sendSigned(endpoint, { ...s, headers: { ...s.headers, authorization } }), 403, 'InvalidSignatureException');
    }
  });

  test('a session token is UnrecognizedClientException (no temporary credentials are issued)', async () => {
    const s = await sign(endpoint, { ...listRooms, headers: { 'x-amz-security-token': 'token' } });
    assertAwsError(await sendSigned(endpoint, s), 403, 'UnrecognizedClientException');
  });
});
