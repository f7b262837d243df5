/** Wire details of the restJson1 control plane, seen with plain HTTP (Node's fetch). */
import { CreateRoomCommand, GetRoomCommand, ListRoomsCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, test } from 'node:test';
import { MAX_BODY_BYTES } from '../../src/server/http-server.js';
import { expectError } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';
import { loggingArn, OTHER_ACCOUNT, roomArn } from './fixtures.js';

const server = serverPerFile();

/** An Authorization header shaped like the SDK's, naming `region` in its credential scope. */
const signedAs = (region: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/${region}/ivschat/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(server.parlor.endpoint + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

function assertError(a: Answer, name: string, status: number, members: Record<string, unknown> = {}): Record<string, unknown> {
  assert.equal(a.status, status, a.text);
  assert.equal(a.headers.get('x-amzn-errortype'), name);
  assert.match(a.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(a.headers.get('content-type'), 'application/json');
  const body = a.json();
  assert.equal(body['__type'], name);
  assert.equal(typeof body['message'], 'string');
  assert.equal(body['code'], undefined, 'no "code" key: it would override __type in the JS SDK');
  for (const [k, v] of Object.entries(members)) assert.deepEqual(body[k], v, k);
  return body;
}

describe('wire', () => {
  test('success: 200 JSON with ISO-8601 timestamps and a request id', async () => {
    const a = await call('POST', '/CreateRoom', '{"name":"wire"}');
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('content-type'), 'application/json');
    assert.match(a.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    const room = a.json();
    assert.match(room['createTime'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(room['updateTime'], room['createTime']);
    assert.equal(room['maximumMessageLength'], 500);
    assert.equal('messageReviewHandler' in room, false, 'no handler → member omitted');
  });

  test('request ids differ between answers', async () => {
    const ids = new Set<string | null>();
    for (let i = 0; i < 5; i++) ids.add((await call('POST', '/ListRooms', '{}')).headers.get('x-amzn-requestid'));
    assert.equal(ids.size, 5);
  });

  test('DeleteRoom: 204 with an empty body and a request id', async () => {
    const arn = (await call('POST', '/CreateRoom', '{}')).json()['arn'] as string;
    const a = await call('POST', '/DeleteRoom', JSON.stringify({ identifier: arn }));
    assert.equal(a.status, 204);
    assert.equal(a.text, '');
    assert.match(a.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('unknown JSON members are ignored; an empty body is an empty input', async () => {
    const a = await call('POST', '/CreateRoom', JSON.stringify({ name: 'extra', futureMember: { x: 1 }, tagz: 5 }));
    assert.equal(a.status, 200);
    assert.equal(a.json()['name'], 'extra');
    assert.equal(a.json()['futureMember'], undefined);
    assert.equal((await call('POST', '/ListRooms', '')).status, 200);
    assert.equal((await call('POST', '/ListRooms')).status, 200);
  });

  test('malformed JSON and non-object bodies are a 400 ValidationException', async () => {
    for (const body of ['{', '{"name":', 'not json', '[]', 'null', '"text"', '42']) {
      assertError(await call('POST', '/CreateRoom', body), 'ValidationException', 400);
    }
  });

  test('wrongly typed members are field errors, reported together', async () => {
    const a = await call('POST', '/CreateRoom', JSON.stringify({ name: 5, maximumMessageLength: '5', maximumMessageRatePerSecond: 1.5, tags: [], messageReviewHandler: 'x' }));
    const body = assertError(a, 'ValidationException', 400, { reason: 'FIELD_VALIDATION_FAILED' });
    const names = (body['fieldList'] as { name: string }[]).map((f) => f.name).sort();
    assert.deepEqual(names, ['maximumMessageLength', 'maximumMessageRatePerSecond', 'messageReviewHandler', 'name', 'tags']);
    assertError(await call('POST', '/CreateRoom', JSON.stringify({ maximumMessageLength: 1e100 })), 'ValidationException', 400);
    assertError(await call('POST', '/CreateRoom', JSON.stringify({ tags: { k: 5 } })), 'ValidationException', 400, {
      fieldList: [{ name: 'tags.k', message: 'must be a string' }],
    });
  });

  test('null members count as absent', async () => {
    const a = await call('POST', '/CreateRoom', JSON.stringify({ name: null, maximumMessageLength: null }));
    assert.equal(a.status, 200);
    assert.equal(a.json()['maximumMessageLength'], 500);
  });

  test('unknown paths and operations are a 400 ValidationException with reason UNKNOWN_OPERATION', async () => {
    for (const [method, path] of [
      ['POST', '/NoSuchOperation'],
      ['POST', '/'],
      ['POST', '/createroom'],
      ['POST', '/CreateRoom/extra'],
      ['GET', '/favicon.ico'],
    ] as const) {
      assertError(await call(method, path, method === 'GET' ? undefined : '{}'), 'ValidationException', 400, { reason: 'UNKNOWN_OPERATION' });
    }
  });

  test('a known path with the wrong method is UNKNOWN_OPERATION too', async () => {
    assertError(await call('GET', '/CreateRoom'), 'ValidationException', 400, { reason: 'UNKNOWN_OPERATION' });
    assertError(await call('PUT', '/ListRooms', '{}'), 'ValidationException', 400, { reason: 'UNKNOWN_OPERATION' });
    assertError(await call('PUT', `/tags/${encodeURIComponent(roomArn())}`, '{}'), 'ValidationException', 400, { reason: 'UNKNOWN_OPERATION' });
  });

  test('a body over 1 MiB is a 400 ValidationException and the server keeps serving', async () => {
    const big = JSON.stringify({ name: 'x', pad: 'p'.repeat(MAX_BODY_BYTES) });
    const a = await new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
      const req = httpRequest(server.parlor.endpoint + '/CreateRoom', { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(big);
    });
    assert.equal(a.status, 400);
    assert.equal(a.headers['x-amzn-errortype'], 'ValidationException');
    assert.match(String(a.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.match((JSON.parse(a.text) as { message: string }).message, /exceeds/);
    assert.equal((await call('POST', '/ListRooms', '{}')).status, 200);
    const justUnder = JSON.stringify({ name: 'fits', pad: 'p'.repeat(MAX_BODY_BYTES - 100) });
    assert.equal((await call('POST', '/CreateRoom', justUnder)).status, 200);
  });

  test('tag paths: the ARN percent-encoded (with %2F) is one label; a bad escape is a 400', async () => {
    const arn = (await call('POST', '/CreateRoom', '{"tags":{"a":"b"}}')).json()['arn'] as string;
    const full = await call('GET', `/tags/${encodeURIComponent(arn)}`);
    assert.equal(full.status, 200);
    assert.deepEqual(full.json(), { tags: { a: 'b' } });
    const slashOnly = await call('GET', `/tags/${arn.replace('/', '%2F')}`);
    assert.deepEqual(slashOnly.json(), { tags: { a: 'b' } });
    assertError(await call('GET', `/tags/${arn}`), 'ValidationException', 400, { reason: 'UNKNOWN_OPERATION' });
    assertError(await call('GET', '/tags/%E0%A4%A'), 'ValidationException', 400);
    const untag = await call('DELETE', `/tags/${encodeURIComponent(arn)}?tagKeys=a&tagKeys=missing`);
    assert.equal(untag.status, 200);
    assert.deepEqual(untag.json(), {});
    const tagged = await call('POST', `/tags/${encodeURIComponent(arn)}`, '{"tags":{"c":"d"}}');
    assert.deepEqual(tagged.json(), {});
    assert.deepEqual((await call('GET', `/tags/${encodeURIComponent(arn)}`)).json(), { tags: { c: 'd' } });
  });

  test('404 and 403 errors carry their members', async () => {
    assertError(await call('POST', '/GetRoom', JSON.stringify({ identifier: roomArn('Missing00001') })), 'ResourceNotFoundException', 404, {
      resourceId: 'Missing00001',
      resourceType: 'ROOM',
    });
    assertError(await call('POST', '/GetRoom', JSON.stringify({ identifier: roomArn('Missing00001', 'us-east-1', OTHER_ACCOUNT) })), 'AccessDeniedException', 403);
    assertError(await call('POST', '/GetLoggingConfiguration', JSON.stringify({ identifier: loggingArn('Missing00001', 'us-east-1', OTHER_ACCOUNT) })), 'AccessDeniedException', 403);
  });

  test('unsigned requests act in the default region; a signature names the region', async () => {
    const unsigned = (await call('POST', '/CreateRoom', '{}')).json()['arn'] as string;
    assert.match(unsigned, /^arn:aws:ivschat:us-east-1:123456789012:room\//);
    const west = (await call('POST', '/CreateRoom', '{}', signedAs('eu-central-1'))).json()['arn'] as string;
    assert.match(west, /^arn:aws:ivschat:eu-central-1:123456789012:room\//);
  });

  test('regions are isolated: a us-west-2 room is invisible from us-east-1', async () => {
    const west = server.client('us-west-2');
    const east = server.client('us-east-1');
    const room = await west.send(new CreateRoomCommand({ name: 'west-only' }));
    assert.match(room.arn!, /^arn:aws:ivschat:us-west-2:123456789012:room\/[a-zA-Z0-9]{12}$/);
    assert.equal((await west.send(new GetRoomCommand({ identifier: room.arn }))).name, 'west-only');
    await expectError(east.send(new GetRoomCommand({ identifier: room.arn })), 'ResourceNotFoundException', 404, { resourceId: room.id, resourceType: 'ROOM' });
    const eastRooms = (await east.send(new ListRoomsCommand({ name: 'west-only' }))).rooms!;
    assert.deepEqual(eastRooms, []);
    assert.equal((await west.send(new ListRoomsCommand({ name: 'west-only' }))).rooms!.length, 1);
  });

  test('/healthz answers 200 JSON with a request id', async () => {
    const a = await call('GET', '/healthz');
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('content-type'), 'application/json');
    assert.equal(a.json()['status'], 'ok');
    assert.match(a.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  });
});
