/**
 * Accounts and regions are kept apart, and an account pending verification may read but not
 * call any operation whose model error list names PendingVerification.
 */
import {
  CreateRoomCommand,
  GetRoomCommand,
  ListRoomsCommand,
  ResourceNotFoundException,
  type IvschatClient,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OPERATIONS } from '../../src/protocol/generated/model.js';
import type { TestServer } from '../helpers/server.js';
import { makeFixture, OPERATION_NAMES, outcome, snapshot, VALID_INPUTS, type Fixture } from './operations.js';
import { ADMIN, ADMIN_ACCOUNT, credential, startEnforced, type KeyPair } from './support.js';

const OTHER: KeyPair = { accessKeyId: 'AKIAOTHERACCOUNT', secretAccessKey: 'other-secret-0123456789' };
const PENDING: KeyPair = { accessKeyId: 'AKIAPENDINGACCT0', secretAccessKey: 'pending-secret-0123456789' };
const OTHER_ACCOUNT = '222222222222';
const PENDING_ACCOUNT = '333333333333';

const authFile = (pending: boolean) => ({
  accounts: [
    { id: ADMIN_ACCOUNT, credentials: [credential(ADMIN)] },
    { id: OTHER_ACCOUNT, credentials: [credential(OTHER)] },
    { id: PENDING_ACCOUNT, pendingVerification: pending, credentials: [credential(PENDING)] },
  ],
});

let server: TestServer;
let pendingFixture: Pick<Fixture, 'room' | 'otherRoom' | 'log'>;

before(async () => {
  // The pending account's resources exist from before it was marked pending (a restart later).
  const first = await startEnforced(authFile(false));
  pendingFixture = await makeFixture(first.client('us-east-1', PENDING));
  await first.stop(true);
  server = await startEnforced(authFile(true), { dataDir: first.dataDir });
});
after(() => server?.stop());

test('a pending account gets PendingVerification exactly on the operations whose model lists it', async () => {
  const client = server.client('us-east-1', PENDING);
  // Deletes aim at existing resources (the pending account cannot make fresh ones); a wrongly
  // allowed delete would remove them and fail the reads after it.
  const fixture: Fixture = { ...pendingFixture, freshRoom: async () => pendingFixture.otherRoom, freshLog: async () => pendingFixture.log };
  const answers: Record<string, string> = {};
  const expected: Record<string, string> = {};
  for (const operation of OPERATION_NAMES) {
    const listsPending = (OPERATIONS[operation].errors as readonly string[]).includes('PendingVerification');
    expected[operation] = listsPending ? 'PendingVerification' : 'ok';
    answers[operation] = await outcome(client, operation, await VALID_INPUTS[operation](fixture));
  }
  assert.deepEqual(answers, expected);
  for (const read of ['GetRoom', 'ListRooms', 'GetLoggingConfiguration', 'ListLoggingConfigurations', 'ListTagsForResource']) {
    assert.equal(answers[read], 'ok', `${read} is a read and stays allowed`);
  }
  for (const write of ['CreateRoom', 'UpdateRoom', 'DeleteRoom', 'CreateLoggingConfiguration', 'UpdateLoggingConfiguration', 'DeleteLoggingConfiguration', 'CreateChatToken']) {
    assert.equal(answers[write], 'PendingVerification', `${write} changes something`);
  }
  const got = await client.send(new GetRoomCommand({ identifier: pendingFixture.room }));
  assert.equal(got.name, 'fixture', 'the denied UpdateRoom changed nothing');
});

test('one account can neither see nor change another account\'s resources', async () => {
  const owner = server.client('us-east-1', ADMIN);
  const intruder = server.client('us-east-1', OTHER);
  const made = await makeFixture(owner);
  // Deletes aim at the fixture's own resources, so a wrongly allowed delete would show.
  const f: Fixture = { ...made, freshRoom: async () => made.otherRoom, freshLog: async () => made.log };
  const before = await snapshot(owner, f);
  for (const operation of OPERATION_NAMES) {
    const input = await VALID_INPUTS[operation](f);
    const touchesArn = Object.values(input).some((v) => (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && x.startsWith('arn:')));
    const answer = await outcome(intruder, operation, input);
    if (touchesArn) assert.equal(answer, 'AccessDeniedException', `${operation} on another account's resource`);
  }
  const withTheirLog = { name: 'x', loggingConfigurationIdentifiers: [f.log] };
  assert.equal(await outcome(intruder, 'CreateRoom', withTheirLog), 'AccessDeniedException', 'CreateRoom with another account\'s logging configuration');
  assert.equal(await outcome(intruder, 'ListRooms', { loggingConfigurationIdentifier: f.log }), 'AccessDeniedException');
  const theirs = await intruder.send(new ListRoomsCommand({}));
  assert.ok(!theirs.rooms!.some((r) => r.arn === f.room || r.arn === f.otherRoom), 'ListRooms shows only the caller\'s rooms');
  assert.ok(theirs.rooms!.every((r) => r.arn!.includes(`:${OTHER_ACCOUNT}:`)));
  assert.deepEqual(await snapshot(owner, f), before, 'nothing of the owner changed');
});

test('regions are kept apart: a us-west-2 room is not found through us-east-1', async () => {
  const west: IvschatClient = server.client('us-west-2', ADMIN);
  const east = server.client('us-east-1', ADMIN);
  const room = await west.send(new CreateRoomCommand({ name: 'west' }));
  assert.match(room.arn!, new RegExp(`^arn:aws:ivschat:us-west-2:${ADMIN_ACCOUNT}:room/`));
  await assert.rejects(east.send(new GetRoomCommand({ identifier: room.arn })), (err: unknown) => {
    assert.ok(err instanceof ResourceNotFoundException);
    return true;
  });
  assert.equal(await outcome(east, 'UpdateRoom', { identifier: room.arn, name: 'moved' }), 'ResourceNotFoundException');
  assert.equal(await outcome(east, 'DeleteRoom', { identifier: room.arn }), 'ResourceNotFoundException');
  const eastRooms = await east.send(new ListRoomsCommand({}));
  assert.ok(!eastRooms.rooms!.some((r) => r.arn === room.arn));
  const westRooms = await west.send(new ListRoomsCommand({}));
  assert.ok(westRooms.rooms!.some((r) => r.arn === room.arn));
  assert.equal((await west.send(new GetRoomCommand({ identifier: room.arn }))).name, 'west');
});
