/** ListRooms filters (alone and combined) and ordering. Paging is in pagination.test.ts. */
import {
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  ListRoomsCommand,
  UpdateRoomCommand,
  type CreateRoomCommandInput,
  type IvschatClient,
  type ListRoomsCommandInput,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, expectFieldErrors } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';
import { freshRegion, lambdaArn, loggingArn, OTHER_ACCOUNT } from './fixtures.js';

const server = serverPerFile();

function kit() {
  const region = freshRegion();
  const client: IvschatClient = server.client(region);
  const create = async (input: CreateRoomCommandInput = {}) => (await client.send(new CreateRoomCommand(input))).arn!;
  const list = async (input: ListRoomsCommandInput = {}) => {
    const out = await client.send(new ListRoomsCommand(input));
    assert.equal(out.nextToken, undefined, 'one page');
    return out.rooms!;
  };
  const arns = async (input: ListRoomsCommandInput = {}) => (await list(input)).map((r) => r.arn).sort();
  const createLogging = async () =>
    (await client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: '/chat' } } }))).arn!;
  return { region, client, create, list, arns, createLogging };
}

describe('ListRooms', () => {
  test('an empty region lists no rooms and no token', async () => {
    const { client } = kit();
    const out = await client.send(new ListRoomsCommand({}));
    assert.deepEqual(out.rooms, []);
    assert.equal(out.nextToken, undefined);
  });

  test('items are room summaries without the message limits', async () => {
    const { create, list } = kit();
    const arn = await create({ name: 'summary', tags: { a: '1' }, messageReviewHandler: { uri: lambdaArn() }, maximumMessageLength: 9 });
    const [room] = await list();
    assert.equal(room!.arn, arn);
    assert.equal(room!.name, 'summary');
    assert.deepEqual(room!.tags, { a: '1' });
    assert.deepEqual(room!.messageReviewHandler, { uri: lambdaArn(), fallbackResult: 'ALLOW' });
    assert.deepEqual(room!.loggingConfigurationIdentifiers, []);
    assert.ok(room!.createTime instanceof Date && room!.updateTime instanceof Date);
    assert.equal((room as Record<string, unknown>).maximumMessageLength, undefined);
    assert.equal((room as Record<string, unknown>).maximumMessageRatePerSecond, undefined);
  });

  test('newest updateTime first; an updated room moves to the front', async () => {
    const { client, create, list } = kit();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await create({ name: `r${i}` }));
    const rooms = await list();
    const times = rooms.map((r) => r.updateTime!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    // Twice: the second updateTime is above every creation time even if the first shares a
    // millisecond with the last CreateRoom.
    for (let i = 0; i < 2; i++) await client.send(new UpdateRoomCommand({ identifier: created[0], name: 'touched' }));
    const after = await list();
    assert.equal(after[0]!.arn, created[0]);
    assert.ok(after[0]!.updateTime!.getTime() > after[1]!.updateTime!.getTime());
  });

  test('filters alone and combined: exact name, review-handler uri, logging configuration', async () => {
    const { create, arns, createLogging } = kit();
    const [logA, logB] = [await createLogging(), await createLogging()];
    const uriA = lambdaArn(60);
    const uriB = lambdaArn(61);
    const r1 = await create({ name: 'alpha', messageReviewHandler: { uri: uriA }, loggingConfigurationIdentifiers: [logA] });
    const r2 = await create({ name: 'alpha', messageReviewHandler: { uri: uriB }, loggingConfigurationIdentifiers: [logA, logB] });
    const r3 = await create({ name: 'beta', messageReviewHandler: { uri: uriA } });
    const r4 = await create({ name: 'alphabet', loggingConfigurationIdentifiers: [logB] });
    const r5 = await create({});
    assert.deepEqual(await arns(), [r1, r2, r3, r4, r5].sort());
    assert.deepEqual(await arns({ name: 'alpha' }), [r1, r2].sort(), 'exact name, not a prefix');
    assert.deepEqual(await arns({ name: '' }), [r5]);
    assert.deepEqual(await arns({ messageReviewHandlerUri: uriA }), [r1, r3].sort());
    assert.deepEqual(await arns({ loggingConfigurationIdentifier: logA }), [r1, r2].sort());
    assert.deepEqual(await arns({ loggingConfigurationIdentifier: logB }), [r2, r4].sort());
    assert.deepEqual(await arns({ name: 'alpha', messageReviewHandlerUri: uriA }), [r1]);
    assert.deepEqual(await arns({ name: 'alpha', loggingConfigurationIdentifier: logB }), [r2]);
    assert.deepEqual(await arns({ messageReviewHandlerUri: uriA, loggingConfigurationIdentifier: logB }), []);
    assert.deepEqual(await arns({ name: 'alpha', messageReviewHandlerUri: uriB, loggingConfigurationIdentifier: logA }), [r2]);
    assert.deepEqual(await arns({ name: 'gamma' }), []);
  });

  test('filters follow updates: a removed handler or logging configuration no longer matches', async () => {
    const { client, create, arns, createLogging } = kit();
    const log = await createLogging();
    const uri = lambdaArn();
    const room = await create({ messageReviewHandler: { uri }, loggingConfigurationIdentifiers: [log] });
    await client.send(new UpdateRoomCommand({ identifier: room, messageReviewHandler: { uri: '' }, loggingConfigurationIdentifiers: [] }));
    assert.deepEqual(await arns({ messageReviewHandlerUri: uri }), []);
    assert.deepEqual(await arns({ loggingConfigurationIdentifier: log }), []);
  });

  test('a logging-configuration filter naming no such configuration is a 404; another account is denied', async () => {
    const { region, client } = kit();
    await expectError(client.send(new ListRoomsCommand({ loggingConfigurationIdentifier: loggingArn('NoSuchConfig', region) })), 'ResourceNotFoundException', 404, {
      resourceId: 'NoSuchConfig',
      resourceType: 'LOGGING_CONFIGURATION',
    });
    await expectError(
      client.send(new ListRoomsCommand({ loggingConfigurationIdentifier: loggingArn('NoSuchConfig', region, OTHER_ACCOUNT) })),
      'AccessDeniedException',
      403,
    );
  });

  test('invalid filters are reported together', async () => {
    const { client } = kit();
    await expectFieldErrors(
      client.send(new ListRoomsCommand({ name: 'bad name', messageReviewHandlerUri: 'https://x', loggingConfigurationIdentifier: 'arn:nope' })),
      ['name', 'messageReviewHandlerUri', 'loggingConfigurationIdentifier'],
    );
  });
});
