/** CreateRoom, GetRoom and DeleteRoom through the JS SDK: shapes, defaults, every bound, errors. */
import {
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  DeleteRoomCommand,
  GetRoomCommand,
  ListRoomsCommand,
  type CreateRoomCommandInput,
  type IvschatClient,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, expectFieldErrors } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';
import { ACCOUNT, chars, freshRegion, lambdaArn, loggingArn, OTHER_ACCOUNT, roomArn, tagsOf } from './fixtures.js';

let client: IvschatClient;
const server = serverPerFile({}, (s) => {
  client = s.client();
});

const create = (input: CreateRoomCommandInput, c = client) => c.send(new CreateRoomCommand(input));
const createLogging = async (c = client): Promise<string> =>
  (await c.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'chat-logs' } } }))).arn!;

describe('CreateRoom', () => {
  test('with no members: defaults, a 12-char id, an ARN of the account and region, equal times', async () => {
    const room = await create({});
    assert.equal(room.$metadata.httpStatusCode, 200);
    assert.match(room.id!, /^[a-zA-Z0-9]{12}$/);
    assert.equal(room.arn, roomArn(room.id));
    assert.equal(room.name, '');
    assert.equal(room.maximumMessageRatePerSecond, 10);
    assert.equal(room.maximumMessageLength, 500);
    assert.equal(room.messageReviewHandler, undefined);
    assert.deepEqual(room.tags, {});
    assert.deepEqual(room.loggingConfigurationIdentifiers, []);
    assert.ok(room.createTime instanceof Date && room.updateTime instanceof Date);
    assert.equal(room.createTime.getTime(), room.updateTime.getTime());
    assert.ok(Math.abs(room.createTime.getTime() - Date.now()) < 60_000);
  });

  test('with every member: all of them come back', async () => {
    const logging = await createLogging();
    const room = await create({
      name: 'Lobby_1-a',
      maximumMessageRatePerSecond: 7,
      maximumMessageLength: 42,
      messageReviewHandler: { uri: lambdaArn(), fallbackResult: 'DENY' },
      tags: { team: 'blue', empty: '' },
      loggingConfigurationIdentifiers: [logging],
    });
    assert.equal(room.name, 'Lobby_1-a');
    assert.equal(room.maximumMessageRatePerSecond, 7);
    assert.equal(room.maximumMessageLength, 42);
    assert.deepEqual(room.messageReviewHandler, { uri: lambdaArn(), fallbackResult: 'DENY' });
    assert.deepEqual(room.tags, { team: 'blue', empty: '' });
    assert.deepEqual(room.loggingConfigurationIdentifiers, [logging]);
  });

  test('a review handler without fallbackResult falls back to ALLOW; an empty uri means no handler', async () => {
    assert.deepEqual((await create({ messageReviewHandler: { uri: lambdaArn() } })).messageReviewHandler, {
      uri: lambdaArn(),
      fallbackResult: 'ALLOW',
    });
    assert.equal((await create({ messageReviewHandler: { uri: '' } })).messageReviewHandler, undefined);
    assert.equal((await create({ messageReviewHandler: {} })).messageReviewHandler, undefined);
  });

  test('names need not be unique', async () => {
    const a = await create({ name: 'same' });
    const b = await create({ name: 'same' });
    assert.notEqual(a.arn, b.arn);
  });

  test('name: 0 and 128 characters are accepted, 129 and characters outside [a-zA-Z0-9-_] are not', async () => {
    assert.equal((await create({ name: '' })).name, '');
    assert.equal((await create({ name: chars(128) })).name, chars(128));
    await expectFieldErrors(create({ name: chars(129) }), ['name']);
    for (const bad of ['has space', 'dot.name', 'émoji', 'slash/x', 'a😀']) {
      await expectFieldErrors(create({ name: bad }), ['name']);
    }
  });

  test('maximumMessageRatePerSecond: 1 and 100 accepted, 0 and 101 rejected', async () => {
    assert.equal((await create({ maximumMessageRatePerSecond: 1 })).maximumMessageRatePerSecond, 1);
    assert.equal((await create({ maximumMessageRatePerSecond: 100 })).maximumMessageRatePerSecond, 100);
    await expectFieldErrors(create({ maximumMessageRatePerSecond: 0 }), ['maximumMessageRatePerSecond']);
    await expectFieldErrors(create({ maximumMessageRatePerSecond: 101 }), ['maximumMessageRatePerSecond']);
  });

  test('maximumMessageLength: 1 and 500 accepted, 0 and 501 rejected', async () => {
    assert.equal((await create({ maximumMessageLength: 1 })).maximumMessageLength, 1);
    assert.equal((await create({ maximumMessageLength: 500 })).maximumMessageLength, 500);
    await expectFieldErrors(create({ maximumMessageLength: 0 }), ['maximumMessageLength']);
    await expectFieldErrors(create({ maximumMessageLength: 501 }), ['maximumMessageLength']);
  });

  test('messageReviewHandler.uri: a 170-char Lambda ARN is accepted; 171 chars or a non-Lambda URI are not', async () => {
    assert.equal((await create({ messageReviewHandler: { uri: lambdaArn(170) } })).messageReviewHandler?.uri, lambdaArn(170));
    await expectFieldErrors(create({ messageReviewHandler: { uri: lambdaArn(171) } }), ['messageReviewHandler.uri']);
    for (const bad of ['https://example.com/review', 'arn:aws:lambda:us-east-1:1234:function:x', 'arn:aws:sqs:us-east-1:123456789012:queue']) {
      await expectFieldErrors(create({ messageReviewHandler: { uri: bad } }), ['messageReviewHandler.uri']);
    }
  });

  test('messageReviewHandler.fallbackResult must be ALLOW or DENY', async () => {
    const uri = lambdaArn();
    assert.equal((await create({ messageReviewHandler: { uri, fallbackResult: 'ALLOW' } })).messageReviewHandler?.fallbackResult, 'ALLOW');
    await expectFieldErrors(
      create({ messageReviewHandler: { uri, fallbackResult: 'MAYBE' as 'ALLOW' } }),
      ['messageReviewHandler.fallbackResult'],
    );
  });

  test('loggingConfigurationIdentifiers: 0 and 3 accepted, 4 rejected, and each must be a logging-configuration ARN', async () => {
    const three = [await createLogging(), await createLogging(), await createLogging()];
    assert.deepEqual((await create({ loggingConfigurationIdentifiers: [] })).loggingConfigurationIdentifiers, []);
    assert.deepEqual((await create({ loggingConfigurationIdentifiers: three })).loggingConfigurationIdentifiers, three);
    await expectFieldErrors(create({ loggingConfigurationIdentifiers: [...three, three[0]!] }), ['loggingConfigurationIdentifiers']);
    await expectFieldErrors(create({ loggingConfigurationIdentifiers: [three[0]!, roomArn(), 'nope'] }), [
      'loggingConfigurationIdentifiers[1]',
      'loggingConfigurationIdentifiers[2]',
    ]);
    await expectFieldErrors(create({ loggingConfigurationIdentifiers: [loggingArn(chars(120, 'B'))] }), ['loggingConfigurationIdentifiers[0]']);
  });

  test('an unknown logging configuration is a 404 and writes nothing', async () => {
    const region = freshRegion();
    const c = server.client(region);
    const missing = loggingArn('MissingConf1', region);
    await expectError(create({ loggingConfigurationIdentifiers: [missing] }, c), 'ResourceNotFoundException', 404, {
      resourceId: 'MissingConf1',
      resourceType: 'LOGGING_CONFIGURATION',
    });
    assert.deepEqual((await c.send(new ListRoomsCommand({}))).rooms, []);
  });

  test('a logging configuration of another region is not found; one of another account is denied', async () => {
    const logging = await createLogging();
    const west = server.client('us-west-2');
    await expectError(create({ loggingConfigurationIdentifiers: [logging] }, west), 'ResourceNotFoundException', 404, {
      resourceType: 'LOGGING_CONFIGURATION',
    });
    await expectError(create({ loggingConfigurationIdentifiers: [loggingArn('AAAAAAAAAAAA', 'us-east-1', OTHER_ACCOUNT)] }), 'AccessDeniedException', 403);
  });

  test('tags: 50 accepted, 51 rejected; key 1–128 and value 0–256 characters', async () => {
    assert.equal(Object.keys((await create({ tags: tagsOf(50) })).tags!).length, 50);
    await expectFieldErrors(create({ tags: tagsOf(51) }), ['tags']);
    assert.deepEqual((await create({ tags: { [chars(128)]: chars(256) } })).tags, { [chars(128)]: chars(256) });
    await expectFieldErrors(create({ tags: { [chars(129)]: 'v' } }), [`tags.${chars(129)}(key)`]);
    await expectFieldErrors(create({ tags: { k: chars(257) } }), ['tags.k']);
    await expectFieldErrors(create({ tags: { '': 'v' } }), ['tags.(key)']);
  });

  test('every invalid member is reported in one ValidationException', async () => {
    const err = await expectFieldErrors(
      create({
        name: 'bad name',
        maximumMessageRatePerSecond: 0,
        maximumMessageLength: 501,
        messageReviewHandler: { uri: 'not-a-lambda', fallbackResult: 'NO' as 'DENY' },
        loggingConfigurationIdentifiers: ['x'],
        tags: { k: chars(257) },
      }),
      [
        'name',
        'maximumMessageRatePerSecond',
        'maximumMessageLength',
        'messageReviewHandler.uri',
        'messageReviewHandler.fallbackResult',
        'loggingConfigurationIdentifiers[0]',
        'tags.k',
      ],
    );
    assert.match(err.message, /name/);
  });
});

describe('GetRoom', () => {
  test('returns what CreateRoom returned', async () => {
    const created = await create({ name: 'get-me', tags: { a: 'b' }, messageReviewHandler: { uri: lambdaArn() } });
    const got = await client.send(new GetRoomCommand({ identifier: created.arn }));
    const { $metadata: _a, ...createdBody } = created;
    const { $metadata: _b, ...gotBody } = got;
    assert.deepEqual(gotBody, createdBody);
  });

  test('an unknown room is a 404 naming the id and type ROOM', async () => {
    await expectError(client.send(new GetRoomCommand({ identifier: roomArn('NoSuchRoom12') })), 'ResourceNotFoundException', 404, {
      resourceId: 'NoSuchRoom12',
      resourceType: 'ROOM',
    });
  });

  test('the identifier must be a room ARN of 1–128 characters', async () => {
    for (const bad of ['', 'g1H2I3j4k5L6', loggingArn(), 'arn:aws:ivschat:us-east-1:123456789012:room/bad_id', roomArn(chars(85, 'A'))]) {
      await expectFieldErrors(client.send(new GetRoomCommand({ identifier: bad })), ['identifier']);
    }
    assert.equal(roomArn(chars(84, 'A')).length, 128);
    await expectError(client.send(new GetRoomCommand({ identifier: roomArn(chars(84, 'A')) })), 'ResourceNotFoundException', 404);
  });

  test('a missing identifier is reported as required', async () => {
    await expectFieldErrors(client.send(new GetRoomCommand({} as { identifier: string })), ['identifier']);
  });

  test('a room of another account is denied; of another region of this account, not found', async () => {
    const room = await create({});
    await expectError(client.send(new GetRoomCommand({ identifier: roomArn(room.id, 'us-east-1', OTHER_ACCOUNT) })), 'AccessDeniedException', 403);
    await expectError(server.client('eu-west-1').send(new GetRoomCommand({ identifier: room.arn })), 'ResourceNotFoundException', 404, {
      resourceId: room.id,
      resourceType: 'ROOM',
    });
    assert.ok(room.arn!.includes(`:${ACCOUNT}:`));
  });
});

describe('DeleteRoom', () => {
  test('answers 204, after which the room is gone and a second delete is a 404', async () => {
    const room = await create({ name: 'doomed' });
    const out = await client.send(new DeleteRoomCommand({ identifier: room.arn }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await expectError(client.send(new GetRoomCommand({ identifier: room.arn })), 'ResourceNotFoundException', 404);
    await expectError(client.send(new DeleteRoomCommand({ identifier: room.arn })), 'ResourceNotFoundException', 404, {
      resourceId: room.id,
      resourceType: 'ROOM',
    });
  });

  test('rejects a malformed identifier', async () => {
    await expectFieldErrors(client.send(new DeleteRoomCommand({ identifier: 'room' })), ['identifier']);
  });
});
