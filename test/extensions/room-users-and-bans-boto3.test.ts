/**
 * ListRoomUsers, BanUser, UnbanUser and ListBans through boto3 with the botocore model in
 * models/ (AWS_DATA_PATH), against an enforcing server with users connected over raw
 * WebSockets: the script (room_users_and_bans.py) lists, bans, pages and unbans; this side
 * checks its report and what the banned user's connection saw.
 */
import { CreateRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADMIN, ADMIN_ACCOUNT, credential, startEnforced, type KeyPair } from '../auth/support.js';
import { ALL_CAPABILITIES, chatToken, RawClient, upgradeStatus } from '../helpers/chat.js';
import type { TestServer } from '../helpers/server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const DENIED: KeyPair = { accessKeyId: 'AKIANOBANS000000', secretAccessKey: 'no-bans-secret-0123456789' };
const boto3Skip = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore', timeout: 30_000 }).status === 0 ? undefined : 'boto3 is not installed';
if (boto3Skip) console.warn(`SKIPPING the boto3 room users and bans test: ${boto3Skip}`);

let server: TestServer;
const clients: RawClient[] = [];

before(async () => {
  server = await startEnforced({
    accounts: [
      {
        id: ADMIN_ACCOUNT,
        credentials: [
          credential(ADMIN),
          credential(DENIED, {
            Statement: [
              { Effect: 'Allow', Action: 'ivschat:*', Resource: '*' },
              { Effect: 'Deny', Action: 'ivschat:BanUser', Resource: '*' },
            ],
          }),
        ],
      },
    ],
  });
});
after(async () => {
  for (const c of clients) c.ws.terminate();
  await server?.stop();
});

interface Report {
  operations: string[];
  userPages: { totals: number[]; users: { userId: string; attributes: Record<string, string>; connections: number; connectTimeType: string }[] }[];
  tokenWhileBanned: unknown;
  banPages: { userId: string; reason: string; createTimeType: string; secondsToEnd: number | null }[][];
  unban: unknown;
  unbanAgain: unknown;
  bansAfterUnban: string[];
  tokenAfterUnban: boolean;
  errors: Record<string, { code: string; status: number; fieldList: string[] } | null>;
}

function runScript(room: string, missingRoom: string): Promise<Report> {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    AWS_DATA_PATH: join(REPO, 'models'),
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((ok, fail) =>
    execFile(
      'python3',
      [join(HERE, 'room_users_and_bans.py'), server.parlor.endpoint, room, missingRoom, DENIED.accessKeyId, DENIED.secretAccessKey],
      { env, timeout: 120_000 },
      (err, out, errOut) => (err ? fail(new Error(`${err.message}\n${errOut}`)) : ok(JSON.parse(out) as Report)),
    ),
  );
}

test('boto3 with AWS_DATA_PATH=models: list_room_users, ban_user, unban_user, list_bans', boto3Skip ? { skip: boto3Skip } : {}, async () => {
  const admin = server.client('us-east-1', ADMIN);
  const room = (await admin.send(new CreateRoomCommand({}))).arn!;
  const join = async (userId: string, attributes: Record<string, string> = {}) => {
    const client = await RawClient.open(server, (await chatToken(admin, room, userId, { capabilities: ALL_CAPABILITIES, attributes })).token!);
    clients.push(client);
    return client;
  };
  await join('alice', { colour: 'red' });
  await join('alice', { colour: 'blue' });
  await join('bob');
  const troll = await join('troll');
  const minted = (await chatToken(admin, room, 'troll')).token!;

  const report = await runScript(room, room.replace(/room\/.*/, 'room/abcdefABCDEF'));

  for (const op of ['BanUser', 'ListBans', 'ListMessages', 'ListRoomUsers', 'UnbanUser']) assert.ok(report.operations.includes(op), op);
  assert.deepEqual(
    report.userPages.map((p) => p.totals),
    [
      [3, 4],
      [3, 4],
    ],
  );
  assert.deepEqual(
    report.userPages.flatMap((p) => p.users.map((u) => `${u.userId}:${u.connections}:${JSON.stringify(u.attributes)}:${u.connectTimeType}`)),
    ['alice:2:{"colour":"blue"}:datetime', 'bob:1:{}:datetime', 'troll:1:{}:datetime'],
  );

  // The ban kicked the troll's open connection with boto3's reason; its unused token is refused.
  await troll.waitClosed();
  const kick = await troll.next((f) => f['EventName'] === 'aws:DISCONNECT_USER');
  assert.deepEqual(kick['Attributes'], { UserId: 'troll', Reason: 'from boto3' });
  assert.equal(await upgradeStatus(server, minted), 403);
  assert.deepEqual(report.tokenWhileBanned, { code: 'AccessDeniedException', status: 403, fieldList: [] });

  assert.deepEqual(report.banPages, [
    [
      { userId: 'griefer', reason: 'g', createTimeType: 'datetime', secondsToEnd: null },
      { userId: 'lurker', reason: '', createTimeType: 'datetime', secondsToEnd: 600 },
    ],
    [{ userId: 'troll', reason: 'from boto3', createTimeType: 'datetime', secondsToEnd: null }],
  ]);
  assert.deepEqual([report.unban, report.unbanAgain].map((r) => Object.keys(r as object).filter((k) => k !== 'ResponseMetadata')), [[], []]);
  assert.deepEqual(report.bansAfterUnban, ['lurker', 'troll']);
  assert.equal(report.tokenAfterUnban, true);

  const notFound = { code: 'ResourceNotFoundException', status: 404, fieldList: [] };
  assert.deepEqual(report.errors, {
    missingUsers: notFound,
    missingBan: notFound,
    missingUnban: notFound,
    missingBans: notFound,
    longReason: { code: 'ValidationException', status: 400, fieldList: ['reason'] },
    badToken: { code: 'ValidationException', status: 400, fieldList: ['nextToken'] },
    denied: { code: 'AccessDeniedException', status: 403, fieldList: [] },
  });
});
