/**
 * Each operation, called through the JS SDK with keys of different policies, answers as the
 * policy says: success, or AccessDeniedException with nothing changed (read back by an admin).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { OperationName } from '../../src/protocol/generated/model.js';
import type { TestServer } from '../helpers/server.js';
import { makeFixture, OPERATION_NAMES, outcome, snapshot, VALID_INPUTS, type Fixture } from './operations.js';
import { ADMIN, ADMIN_ACCOUNT, credential, startEnforced, type KeyPair } from './support.js';

interface Case {
  readonly label: string;
  readonly operation: OperationName;
  readonly input: (f: Fixture) => Promise<Record<string, unknown>>;
}

const CASES: readonly Case[] = [
  ...OPERATION_NAMES.map((operation) => ({ label: operation, operation, input: VALID_INPUTS[operation] })),
  { label: 'GetRoom(otherRoom)', operation: 'GetRoom', input: async (f) => ({ identifier: f.otherRoom }) },
  { label: 'UpdateRoom(otherRoom)', operation: 'UpdateRoom', input: async (f) => ({ identifier: f.otherRoom, maximumMessageLength: 77 }) },
  {
    label: 'UpdateRoom(otherRoom, log)',
    operation: 'UpdateRoom',
    input: async (f) => ({ identifier: f.otherRoom, loggingConfigurationIdentifiers: [f.log] }),
  },
];
const ALL = CASES.map((c) => c.label);

const key = (name: string): KeyPair => ({ accessKeyId: `AKIA${name}`, secretAccessKey: `${name}-secret-0123456789` });
const KEYS = { ALLOW_ALL: key('ALLOWALL'), READ_ONLY: key('READONLY'), DENY_ONE: key('DENYONE'), WILDCARDS: key('WILDCARDS'), QMARK: key('QMARK') };

let server: TestServer;
let fixture: Fixture;

before(async () => {
  // Phase 1 makes the resources the policies name; phase 2 restarts on the same data with the policies.
  const first = await startEnforced({ accounts: [{ id: ADMIN_ACCOUNT, credentials: [credential(ADMIN)] }] });
  const made = await makeFixture(first.client('us-east-1', ADMIN));
  await first.stop(true);
  const anyRoomOfAccount = `arn:aws:ivschat:*:${ADMIN_ACCOUNT}:room/*`;
  const policies: Record<keyof typeof KEYS, unknown> = {
    ALLOW_ALL: { Statement: [{ Effect: 'Allow', Action: 'ivschat:*', Resource: '*' }] },
    READ_ONLY: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ivschat:Get*', 'ivschat:List*'], Resource: '*' }] },
    DENY_ONE: {
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'ivschat:UpdateRoom', Resource: made.room },
      ],
    },
    WILDCARDS: {
      Statement: [
        { Effect: 'Allow', Action: 'ivschat:*Room*', Resource: anyRoomOfAccount },
        { Effect: 'Allow', Action: 'ivschat:List*', Resource: '*' },
      ],
    },
    QMARK: { Statement: { Effect: 'Allow', Action: 'ivschat:?etRoom', Resource: `${made.room.slice(0, -1)}?` } },
  };
  const credentials = [credential(ADMIN), ...Object.entries(KEYS).map(([name, k]) => credential(k, policies[name as keyof typeof KEYS]))];
  server = await startEnforced({ accounts: [{ id: ADMIN_ACCOUNT, credentials }] }, { dataDir: first.dataDir });
  fixture = await makeFixture(server.client('us-east-1', ADMIN), made);
});
after(() => server?.stop());

/** Runs every case with `keys`; denied ones must leave the admin's view unchanged. */
async function expectMatrix(keys: KeyPair, allowed: readonly string[]): Promise<void> {
  const unknown = allowed.filter((l) => !ALL.includes(l));
  assert.deepEqual(unknown, [], 'the expectation names only existing cases');
  const admin = server.client('us-east-1', ADMIN);
  const client = server.client('us-east-1', keys);
  const answers: Record<string, string> = {};
  for (const c of CASES) {
    const input = await c.input(fixture);
    const before = await snapshot(admin, fixture);
    answers[c.label] = await outcome(client, c.operation, input);
    if (answers[c.label] !== 'ok') assert.deepEqual(await snapshot(admin, fixture), before, `${c.label} was denied but changed something`);
  }
  const expected = Object.fromEntries(CASES.map((c) => [c.label, allowed.includes(c.label) ? 'ok' : 'AccessDeniedException']));
  assert.deepEqual(answers, expected);
}

test('a key without a policy may do everything in its account', () => expectMatrix(ADMIN, ALL));

test('allow-all (ivschat:* on *) allows every operation', () => expectMatrix(KEYS.ALLOW_ALL, ALL));

test('read-only (ivschat:Get*, ivschat:List*) allows only reads', () =>
  expectMatrix(KEYS.READ_ONLY, ['GetRoom', 'GetRoom(otherRoom)', 'GetLoggingConfiguration', 'ListRooms', 'ListLoggingConfigurations', 'ListTagsForResource', 'ListBans', 'ListMessages', 'ListRoomUsers']));

test('a Deny of UpdateRoom on one room ARN wins over Allow * and spares the other room', () =>
  expectMatrix(KEYS.DENY_ONE, ALL.filter((l) => l !== 'UpdateRoom')));

test('wildcards in actions and resources; UpdateRoom with a logging configuration needs that configuration too', () =>
  expectMatrix(KEYS.WILDCARDS, [
    'GetRoom',
    'GetRoom(otherRoom)',
    'UpdateRoom',
    'UpdateRoom(otherRoom)',
    'DeleteRoom',
    'ListRooms',
    'ListLoggingConfigurations',
    'ListTagsForResource',
    'ListBans',
    'ListMessages',
    'ListRoomUsers',
  ]));

test('? matches exactly one character of an action or a resource', () => expectMatrix(KEYS.QMARK, ['GetRoom']));
