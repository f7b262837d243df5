/**
 * ListRoomUsers, BanUser, UnbanUser and ListBans through boto3 with the botocore model in
 * models/ (AWS_DATA_PATH), against an enforcing server with users connected over raw
 * WebSockets: the script (room_users_and_bans.py) lists, bans, pages and unbans; this side
 * checks its report and what the banned user's connection saw.
 */
import { CreateRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { boto3Skip, runBoto3Script } from './boto3-script.js';
import { ADMIN, startWithDeniedKey, type KeyPair } from '../auth/support.js';
import { ALL_CAPABILITIES, chatToken, RawClient, upgradeStatus } from '../helpers/chat.js';
import type { TestServer } from '../helpers/server.js';

const DENIED: KeyPair = { accessKeyId: 'AKIANOBANS000000', secretAccessKey: 'no-bans-secret-0123456789' };
if (boto3Skip) console.warn(`SKIPPING the boto3 room users and bans test: ${boto3Skip}`);

let server: TestServer;
const clients: RawClient[] = [];

before(async () => {
  server = await startWithDeniedKey(DENIED, 'ivschat:BanUser');
});
after(async () => {
  for (const c of clients) c.ws.terminate();
  await server?.stop();
});

/** An error as boto_support.error_of reports it. */
interface ScriptError {
  code: string;
  status: number;
  fieldList: { name: string }[] | null;
  modeled: string;
}

/** Code, status and the names in fieldList. */
const brief = (e: ScriptError | null) => e && [e.code, e.status, (e.fieldList ?? []).map((f) => f.name)];

interface Report {
  operations: string[];
  userPages: { totals: number[]; users: { userId: string; attributes: Record<string, string>; connections: number; connectTimeType: string }[] }[];
  tokenWhileBanned: ScriptError | null;
  banPages: { userId: string; reason: string; createTimeType: string; secondsToEnd: number | null }[][];
  unban: unknown;
  unbanAgain: unknown;
  bansAfterUnban: string[];
  tokenAfterUnban: boolean;
  errors: Record<string, ScriptError | null>;
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

  const report = await runBoto3Script<Report>('room_users_and_bans.py', [
    server.parlor.endpoint,
    room,
    room.replace(/room\/.*/, 'room/abcdefABCDEF'),
    DENIED.accessKeyId,
    DENIED.secretAccessKey,
  ]);

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
  assert.deepEqual(brief(report.tokenWhileBanned), ['AccessDeniedException', 403, []]);

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

  const notFound = ['ResourceNotFoundException', 404, []];
  assert.deepEqual(Object.fromEntries(Object.entries(report.errors).map(([k, e]) => [k, brief(e)])), {
    missingUsers: notFound,
    missingBan: notFound,
    missingUnban: notFound,
    missingBans: notFound,
    longReason: ['ValidationException', 400, ['reason']],
    badToken: ['ValidationException', 400, ['nextToken']],
    denied: ['AccessDeniedException', 403, []],
  });
  assert.equal(report.errors['missingBan']?.modeled, 'ResourceNotFoundException', 'boto3 raises the modeled exception class');
});
