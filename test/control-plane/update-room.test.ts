/** UpdateRoom member by member, as the first user job describes it. */
import {
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  GetRoomCommand,
  TagResourceCommand,
  UpdateRoomCommand,
  type IvschatClient,
  type UpdateRoomCommandInput,
  type UpdateRoomCommandOutput,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, expectFieldErrors } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';
import { chars, freshRegion, lambdaArn, loggingArn, OTHER_ACCOUNT, roomArn } from './fixtures.js';

const server = serverPerFile();

/**
 * A client in a region of its own (logging configurations count against a per-region quota of
 * 10) and helpers bound to it.
 */
function kit() {
  const region = freshRegion();
  const client: IvschatClient = server.client(region);
  const update = (input: UpdateRoomCommandInput) => client.send(new UpdateRoomCommand(input));
  const createLogging = async (): Promise<string> =>
    (await client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { firehose: { deliveryStreamName: 'chat' } } }))).arn!;
  /** A room with every member set to a non-default value. */
  const fullRoom = async () => {
    const logging = await createLogging();
    return client.send(
      new CreateRoomCommand({
        name: 'original',
        maximumMessageRatePerSecond: 5,
        maximumMessageLength: 50,
        messageReviewHandler: { uri: lambdaArn(), fallbackResult: 'DENY' },
        tags: { owner: 'me' },
        loggingConfigurationIdentifiers: [logging],
      }),
    );
  };
  return { region, client, update, createLogging, fullRoom };
}

type RoomView = Omit<UpdateRoomCommandOutput, '$metadata' | 'updateTime'>;
const view = (r: UpdateRoomCommandOutput): RoomView => {
  const { $metadata: _m, updateTime: _u, ...rest } = r;
  return rest;
};

describe('UpdateRoom', () => {
  test('each member alone changes only itself; arn, id, createTime and tags stay; updateTime moves forward', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    const other = await createLogging();
    const changes: [Omit<UpdateRoomCommandInput, 'identifier'>, Partial<RoomView>][] = [
      [{ name: 'renamed' }, { name: 'renamed' }],
      [{ maximumMessageRatePerSecond: 99 }, { maximumMessageRatePerSecond: 99 }],
      [{ maximumMessageLength: 321 }, { maximumMessageLength: 321 }],
      [{ messageReviewHandler: { uri: lambdaArn(70), fallbackResult: 'ALLOW' } }, { messageReviewHandler: { uri: lambdaArn(70), fallbackResult: 'ALLOW' } }],
      [{ loggingConfigurationIdentifiers: [other] }, { loggingConfigurationIdentifiers: [other] }],
    ];
    let before = await client.send(new GetRoomCommand({ identifier: room.arn }));
    for (const [input, changed] of changes) {
      const out = await update({ ...input, identifier: room.arn });
      assert.deepEqual(view(out), { ...view(before), ...changed }, `after ${JSON.stringify(input)}`);
      assert.ok(out.updateTime!.getTime() > before.updateTime!.getTime(), 'updateTime strictly increases');
      assert.equal(out.createTime!.getTime(), room.createTime!.getTime());
      const got = await client.send(new GetRoomCommand({ identifier: room.arn }));
      assert.deepEqual(view(got), view(out), 'GetRoom agrees with the UpdateRoom answer');
      assert.equal(got.updateTime!.getTime(), out.updateTime!.getTime());
      before = got;
    }
    assert.deepEqual(before.tags, { owner: 'me' });
    assert.equal(before.arn, room.arn);
    assert.equal(before.id, room.id);
  });

  test('an update with only the identifier still moves updateTime and changes nothing else', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    const out = await update({ identifier: room.arn });
    assert.deepEqual(view(out), view(room));
    assert.ok(out.updateTime!.getTime() > room.updateTime!.getTime());
  });

  test('updateTime strictly increases even for updates within one millisecond', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await client.send(new CreateRoomCommand({}));
    const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => update({ identifier: room.arn, maximumMessageLength: i + 1 })));
    const times = outs.map((o) => o.updateTime!.getTime()).sort((a, b) => a - b);
    assert.equal(new Set(times).size, times.length, 'no two updates share an updateTime');
    assert.ok(times[0]! > room.updateTime!.getTime());
  });

  test('the response carries the effective defaults of a room created without them', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await client.send(new CreateRoomCommand({}));
    const out = await update({ identifier: room.arn, name: 'x' });
    assert.equal(out.maximumMessageRatePerSecond, 10);
    assert.equal(out.maximumMessageLength, 500);
    assert.deepEqual(out.loggingConfigurationIdentifiers, []);
    assert.deepEqual(out.tags, {});
    assert.equal(out.messageReviewHandler, undefined);
  });

  test('name can be set to the empty string', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    assert.equal((await update({ identifier: room.arn, name: '' })).name, '');
  });

  test('an empty uri removes the review handler', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    const out = await update({ identifier: room.arn, messageReviewHandler: { uri: '' } });
    assert.equal(out.messageReviewHandler, undefined);
    assert.equal((await client.send(new GetRoomCommand({ identifier: room.arn }))).messageReviewHandler, undefined);
  });

  test('a handler without fallbackResult gets ALLOW; a handler without uri keeps the current uri', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    assert.deepEqual((await update({ identifier: room.arn, messageReviewHandler: { uri: lambdaArn(80) } })).messageReviewHandler, {
      uri: lambdaArn(80),
      fallbackResult: 'ALLOW',
    });
    assert.deepEqual((await update({ identifier: room.arn, messageReviewHandler: { fallbackResult: 'DENY' } })).messageReviewHandler, {
      uri: lambdaArn(80),
      fallbackResult: 'DENY',
    });
    const bare = await client.send(new CreateRoomCommand({}));
    assert.equal((await update({ identifier: bare.arn, messageReviewHandler: { fallbackResult: 'DENY' } })).messageReviewHandler, undefined);
  });

  test('the logging list is replaced, in the given order, and cleared by []', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    const [a, b, c] = [await createLogging(), await createLogging(), await createLogging()];
    assert.deepEqual((await update({ identifier: room.arn, loggingConfigurationIdentifiers: [c, a, b] })).loggingConfigurationIdentifiers, [c, a, b]);
    assert.deepEqual((await update({ identifier: room.arn, loggingConfigurationIdentifiers: [b] })).loggingConfigurationIdentifiers, [b]);
    assert.deepEqual((await update({ identifier: room.arn, name: 'keep-logging' })).loggingConfigurationIdentifiers, [b]);
    assert.deepEqual((await update({ identifier: room.arn, loggingConfigurationIdentifiers: [] })).loggingConfigurationIdentifiers, []);
  });

  test('an unknown logging configuration is a 404 and the room is left as it was', async () => {
    const { region, client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    const known = await createLogging();
    await expectError(
      update({ identifier: room.arn, name: 'changed', loggingConfigurationIdentifiers: [known, loggingArn('Missing00001', region)] }),
      'ResourceNotFoundException',
      404,
      { resourceId: 'Missing00001', resourceType: 'LOGGING_CONFIGURATION' },
    );
    const got = await client.send(new GetRoomCommand({ identifier: room.arn }));
    assert.deepEqual(view(got), view(room));
    assert.equal(got.updateTime!.getTime(), room.updateTime!.getTime());
  });

  test('tags added by TagResource survive an update', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    await client.send(new TagResourceCommand({ resourceArn: room.arn, tags: { added: 'later' } }));
    assert.deepEqual((await update({ identifier: room.arn, name: 'n' })).tags, { owner: 'me', added: 'later' });
  });

  test('an unknown room is a 404 with resourceId and resourceType; another account is denied', async () => {
    const { region, update } = kit();
    await expectError(update({ identifier: roomArn('Unknown00001', region), name: 'x' }), 'ResourceNotFoundException', 404, {
      resourceId: 'Unknown00001',
      resourceType: 'ROOM',
    });
    await expectError(update({ identifier: roomArn('Unknown00001', region), messageReviewHandler: { uri: '' } }), 'ResourceNotFoundException', 404);
    await expectError(update({ identifier: roomArn('Unknown00001', region, OTHER_ACCOUNT), name: 'x' }), 'AccessDeniedException', 403);
  });

  test('bounds: name 128/129, rate 1/100 vs 0/101, length 1/500 vs 0/501, uri 170/171, 3/4 logging ARNs', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    const id = room.arn!;
    assert.equal((await update({ identifier: id, name: chars(128) })).name, chars(128));
    await expectFieldErrors(update({ identifier: id, name: chars(129) }), ['name']);
    await expectFieldErrors(update({ identifier: id, name: 'no spaces' }), ['name']);
    for (const ok of [1, 100]) assert.equal((await update({ identifier: id, maximumMessageRatePerSecond: ok })).maximumMessageRatePerSecond, ok);
    for (const bad of [0, 101, -1]) await expectFieldErrors(update({ identifier: id, maximumMessageRatePerSecond: bad }), ['maximumMessageRatePerSecond']);
    for (const ok of [1, 500]) assert.equal((await update({ identifier: id, maximumMessageLength: ok })).maximumMessageLength, ok);
    for (const bad of [0, 501]) await expectFieldErrors(update({ identifier: id, maximumMessageLength: bad }), ['maximumMessageLength']);
    assert.equal((await update({ identifier: id, messageReviewHandler: { uri: lambdaArn(170) } })).messageReviewHandler?.uri, lambdaArn(170));
    await expectFieldErrors(update({ identifier: id, messageReviewHandler: { uri: lambdaArn(171) } }), ['messageReviewHandler.uri']);
    await expectFieldErrors(update({ identifier: id, messageReviewHandler: { uri: 'http://localhost/review' } }), ['messageReviewHandler.uri']);
    const three = [await createLogging(), await createLogging(), await createLogging()];
    assert.deepEqual((await update({ identifier: id, loggingConfigurationIdentifiers: three })).loggingConfigurationIdentifiers, three);
    await expectFieldErrors(update({ identifier: id, loggingConfigurationIdentifiers: [...three, three[1]!] }), ['loggingConfigurationIdentifiers']);
    await expectFieldErrors(update({ identifier: id, loggingConfigurationIdentifiers: [id] }), ['loggingConfigurationIdentifiers[0]']);
  });

  test('all invalid members, the identifier included, come back together and nothing changes', async () => {
    const { client, update, createLogging, fullRoom } = kit();
    const room = await fullRoom();
    await expectFieldErrors(
      update({
        identifier: 'not-an-arn',
        name: chars(129),
        maximumMessageRatePerSecond: 101,
        maximumMessageLength: 0,
        messageReviewHandler: { uri: lambdaArn(171), fallbackResult: 'deny' as 'DENY' },
        loggingConfigurationIdentifiers: ['a', 'b', 'c', 'd'],
      }),
      [
        'identifier',
        'name',
        'maximumMessageRatePerSecond',
        'maximumMessageLength',
        'messageReviewHandler.uri',
        'messageReviewHandler.fallbackResult',
        'loggingConfigurationIdentifiers',
      ],
    );
    await expectFieldErrors(update({ identifier: room.arn, name: 'bad!', maximumMessageLength: 501 }), ['name', 'maximumMessageLength']);
    assert.deepEqual(view(await client.send(new GetRoomCommand({ identifier: room.arn }))), view(room));
  });
});
