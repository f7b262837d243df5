/**
 * The extension clients against an enforcing server: Parlor's JS client (`parlor/client`) and
 * boto3 with the botocore model in models/ (AWS_DATA_PATH). ListMessages pages newest first;
 * a missing room, bad input and a key denied `ivschat:ListMessages` get the AWS error shapes.
 * The JS client also bundles for a browser (no Node built-ins on its path).
 */
import { CreateRoomCommand } from '@aws-sdk/client-ivschat';
import { build } from 'esbuild';
import assert from 'node:assert/strict';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AccessDeniedException, ParlorClient, ParlorServiceException, ResourceNotFoundException, ValidationException } from '../../src/client/index.js';
import { boto3Skip, runBoto3Script } from './boto3-script.js';
import { ADMIN, startWithDeniedKey, type KeyPair } from '../auth/support.js';
import { chatToken, RawClient } from '../helpers/chat.js';
import { expectError, expectFieldErrors } from '../helpers/errors.js';
import type { TestServer } from '../helpers/server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const DENIED: KeyPair = { accessKeyId: 'AKIANOHISTORY000', secretAccessKey: 'no-history-secret-0123456789' };
if (boto3Skip) console.warn(`SKIPPING the boto3 client test: ${boto3Skip}`);

let server: TestServer;
let room: string;
let missingRoom: string;
const SENT = ['one', 'two', 'three', 'four', 'five'];

before(async () => {
  server = await startWithDeniedKey(DENIED, 'ivschat:ListMessages');
  const admin = server.client('us-east-1', ADMIN);
  room = (await admin.send(new CreateRoomCommand({ tags: { 'parlor:history': '10' } }))).arn!;
  missingRoom = room.replace(/room\/.*/, 'room/abcdefABCDEF');
  const sender = await RawClient.open(server, (await chatToken(admin, room, 'alice', { capabilities: ['SEND_MESSAGE'], attributes: { colour: 'red' } })).token!);
  for (const content of SENT) {
    sender.send({ Action: 'SEND_MESSAGE', RequestId: content, Content: content, Attributes: { n: content } });
    assert.equal((await sender.byRequest(content)).Type, 'MESSAGE');
  }
  sender.ws.close();
});
after(() => server?.stop());

const parlor = (keys: KeyPair = ADMIN) => new ParlorClient({ endpoint: server.parlor.endpoint, region: 'us-east-1', credentials: keys });

test('JS client: listMessages pages newest first with nextToken, each message as delivered', async () => {
  const seen: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await parlor().listMessages({ roomIdentifier: room, maxResults: 2, ...(nextToken ? { nextToken } : {}) });
    assert.ok(page.messages.length <= 2);
    for (const m of page.messages) {
      assert.match(m.id, /^[a-zA-Z0-9]{12}$/);
      assert.deepEqual(m.attributes, { n: m.content });
      assert.deepEqual(m.sender, { userId: 'alice', attributes: { colour: 'red' } });
      assert.ok(Math.abs(Date.parse(m.sendTime) - Date.now()) < 120_000, m.sendTime);
      seen.push(m.content);
    }
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  assert.deepEqual(seen, [...SENT].reverse());
  assert.equal(pages, 3);
  assert.equal((await parlor().listMessages({ roomIdentifier: room })).messages.length, SENT.length);
});

test('JS client: errors are AWS-named classes with status and members', async () => {
  const missing = await expectError(parlor().listMessages({ roomIdentifier: missingRoom }), 'ResourceNotFoundException', 404, {
    resourceId: 'abcdefABCDEF',
    resourceType: 'ROOM',
  });
  assert.ok(missing instanceof ResourceNotFoundException && missing instanceof ParlorServiceException);
  const bad = await expectFieldErrors(parlor().listMessages({ roomIdentifier: room, maxResults: 0, nextToken: 'nope' }), ['maxResults', 'nextToken']);
  assert.ok(bad instanceof ValidationException);
  const denied = await expectError(parlor(DENIED).listMessages({ roomIdentifier: room }), 'AccessDeniedException', 403);
  assert.ok(denied instanceof AccessDeniedException);
  const unsigned = await expectError(
    parlor({ accessKeyId: 'AKIAUNKNOWN00000', secretAccessKey: 'x' }).listMessages({ roomIdentifier: room }),
    'UnrecognizedClientException',
    403,
  );
  assert.ok(unsigned instanceof ParlorServiceException);
});

test('boto3 with AWS_DATA_PATH=models: list_messages pages, parses times, raises modeled errors', boto3Skip ? { skip: boto3Skip } : {}, async () => {
  const report = await runBoto3Script<{
    signingName: string;
    pages: { content: string; sendTimeType: string; sender: unknown; attributes: unknown }[][];
    missing: { code: string; status: number; modeled: string };
    badToken: { code: string; status: number; fieldList: { name: string }[] };
    denied: { code: string; status: number };
  }>('parlor_client.py', [server.parlor.endpoint, room, missingRoom, DENIED.accessKeyId, DENIED.secretAccessKey]);
  assert.equal(report.signingName, 'ivschat');
  assert.deepEqual(report.pages.map((p) => p.length), [2, 2, 1]);
  assert.deepEqual(report.pages.flat().map((m) => m.content), [...SENT].reverse());
  assert.ok(report.pages.flat().every((m) => m.sendTimeType === 'datetime'));
  assert.deepEqual(report.pages[0]![0]!.sender, { userId: 'alice', attributes: { colour: 'red' } });
  assert.deepEqual(report.missing, { code: 'ResourceNotFoundException', status: 404, fieldList: null, modeled: 'ResourceNotFoundException' });
  assert.equal(report.badToken.code, 'ValidationException');
  assert.deepEqual(report.badToken.fieldList.map((f) => f.name), ['nextToken']);
  assert.deepEqual([report.denied.code, report.denied.status], ['AccessDeniedException', 403]);
});

test('the JS client bundles for a browser with no Node built-ins', async () => {
  const result = await build({
    entryPoints: [join(REPO, 'src/client/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  const code = result.outputFiles[0]!.text;
  assert.ok(code.includes('ParlorClient'));
  assert.doesNotMatch(code, /from\s*["']node:|require\(["'](node:|crypto|buffer|http)/);
});
