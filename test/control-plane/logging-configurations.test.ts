/** Create/Get/Update/Delete/ListLoggingConfigurations through the JS SDK. */
import {
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  DeleteLoggingConfigurationCommand,
  GetLoggingConfigurationCommand,
  ListLoggingConfigurationsCommand,
  UpdateLoggingConfigurationCommand,
  UpdateRoomCommand,
  type CreateLoggingConfigurationCommandInput,
  type DestinationConfiguration,
  type IvschatClient,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectError, expectFieldErrors } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';
import { chars, freshRegion, loggingArn, OTHER_ACCOUNT, roomArn, tagsOf } from './fixtures.js';

const server = serverPerFile();

const S3: DestinationConfiguration = { s3: { bucketName: 'my-chat-logs' } };

function kit() {
  const region = freshRegion();
  const client: IvschatClient = server.client(region);
  const create = (input: Partial<CreateLoggingConfigurationCommandInput> = {}) =>
    client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: S3, ...input }));
  return { region, client, create };
}

const destinationErrors = (input: CreateLoggingConfigurationCommandInput, fields: string[]) =>
  expectFieldErrors(kit().create(input), fields);

describe('CreateLoggingConfiguration', () => {
  test('each destination kind is stored and returned; state ACTIVE; defaults for name and tags', async () => {
    const { region, create } = kit();
    const destinations: DestinationConfiguration[] = [
      { s3: { bucketName: 'abc' } },
      { cloudWatchLogs: { logGroupName: '/aws/ivs/chat#1' } },
      { firehose: { deliveryStreamName: 'stream_1.a-b' } },
    ];
    for (const d of destinations) {
      const out = await create({ destinationConfiguration: d });
      assert.equal(out.$metadata.httpStatusCode, 200);
      assert.match(out.id!, /^[a-zA-Z0-9]{12}$/);
      assert.equal(out.arn, loggingArn(out.id, region));
      assert.deepEqual(out.destinationConfiguration, d);
      assert.equal(out.state, 'ACTIVE');
      assert.equal(out.name, '');
      assert.deepEqual(out.tags, {});
      assert.equal(out.createTime!.getTime(), out.updateTime!.getTime());
    }
  });

  test('name and tags are kept', async () => {
    const out = await kit().create({ name: 'Logs_1-x', tags: { env: 'test' } });
    assert.equal(out.name, 'Logs_1-x');
    assert.deepEqual(out.tags, { env: 'test' });
  });

  test('the destination must set exactly one member', async () => {
    await destinationErrors({ destinationConfiguration: {} as DestinationConfiguration }, ['destinationConfiguration']);
    await destinationErrors(
      { destinationConfiguration: { s3: { bucketName: 'abc' }, firehose: { deliveryStreamName: 'x' } } as unknown as DestinationConfiguration },
      ['destinationConfiguration'],
    );
    await expectFieldErrors(kit().client.send(new CreateLoggingConfigurationCommand({} as CreateLoggingConfigurationCommandInput)), [
      'destinationConfiguration',
    ]);
  });

  test('s3.bucketName: 3–63 characters of [a-z0-9-.]', async () => {
    const { create } = kit();
    for (const ok of ['abc', chars(63, 'b'), 'a.b-c9']) assert.deepEqual((await create({ destinationConfiguration: { s3: { bucketName: ok } } })).destinationConfiguration, { s3: { bucketName: ok } });
    for (const bad of ['ab', chars(64, 'b'), 'Upper', 'under_score']) {
      await destinationErrors({ destinationConfiguration: { s3: { bucketName: bad } } }, ['destinationConfiguration.s3.bucketName']);
    }
  });

  test('cloudWatchLogs.logGroupName: 1–512 characters of [.-_/#A-Za-z0-9]', async () => {
    const { create } = kit();
    for (const ok of ['a', chars(512, 'L')]) assert.equal((await create({ destinationConfiguration: { cloudWatchLogs: { logGroupName: ok } } })).destinationConfiguration?.cloudWatchLogs?.logGroupName, ok);
    for (const bad of ['', chars(513, 'L'), 'has space', 'colon:x']) {
      await destinationErrors({ destinationConfiguration: { cloudWatchLogs: { logGroupName: bad } } }, ['destinationConfiguration.cloudWatchLogs.logGroupName']);
    }
  });

  test('firehose.deliveryStreamName: 1–64 characters of [a-zA-Z0-9_.-]', async () => {
    const { create } = kit();
    for (const ok of ['a', chars(64, 'F')]) assert.equal((await create({ destinationConfiguration: { firehose: { deliveryStreamName: ok } } })).destinationConfiguration?.firehose?.deliveryStreamName, ok);
    for (const bad of ['', chars(65, 'F'), 'a/b']) {
      await destinationErrors({ destinationConfiguration: { firehose: { deliveryStreamName: bad } } }, ['destinationConfiguration.firehose.deliveryStreamName']);
    }
  });

  test('name 0/128 accepted, 129 and bad characters rejected; tags 50/51; all reported together', async () => {
    const { create } = kit();
    assert.equal((await create({ name: chars(128) })).name, chars(128));
    assert.equal(Object.keys((await create({ tags: tagsOf(50) })).tags!).length, 50);
    await destinationErrors({ name: chars(129), destinationConfiguration: S3 }, ['name']);
    await destinationErrors({ name: 'a.b', destinationConfiguration: S3 }, ['name']);
    await destinationErrors({ tags: tagsOf(51), destinationConfiguration: S3 }, ['tags']);
    await destinationErrors({ name: 'no way', tags: { [chars(129)]: chars(257) }, destinationConfiguration: { s3: { bucketName: 'X' } } }, [
      'name',
      `tags.${chars(129)}(key)`,
      `tags.${chars(129)}`,
      'destinationConfiguration.s3.bucketName',
    ]);
  });

  test('the 11th configuration of an account and region is a 402 with limit 10; other regions are unaffected', async () => {
    const { client, create } = kit();
    for (let i = 0; i < 10; i++) await create({ name: `n${i}` });
    const err = await expectError(create({ name: 'eleventh' }), 'ServiceQuotaExceededException', 402, {
      limit: 10,
      resourceType: 'LOGGING_CONFIGURATION',
    });
    assert.equal(typeof err.resourceId, 'string');
    assert.equal((await client.send(new ListLoggingConfigurationsCommand({}))).loggingConfigurations!.length, 10);
    assert.equal((await kit().create()).state, 'ACTIVE');
    // Deleting one frees a slot.
    const first = (await client.send(new ListLoggingConfigurationsCommand({ maxResults: 1 }))).loggingConfigurations![0]!;
    await client.send(new DeleteLoggingConfigurationCommand({ identifier: first.arn }));
    assert.equal((await create({ name: 'tenth-again' })).name, 'tenth-again');
  });
});

describe('GetLoggingConfiguration', () => {
  test('returns what Create returned', async () => {
    const { client, create } = kit();
    const created = await create({ name: 'g', tags: { a: 'b' } });
    const got = await client.send(new GetLoggingConfigurationCommand({ identifier: created.arn }));
    const { $metadata: _a, ...c } = created;
    const { $metadata: _b, ...g } = got;
    assert.deepEqual(g, c);
  });

  test('unknown → 404 LOGGING_CONFIGURATION; bad identifier → 400; another account → 403', async () => {
    const { region, client } = kit();
    await expectError(client.send(new GetLoggingConfigurationCommand({ identifier: loggingArn('NoSuchConf12', region) })), 'ResourceNotFoundException', 404, {
      resourceId: 'NoSuchConf12',
      resourceType: 'LOGGING_CONFIGURATION',
    });
    for (const bad of [roomArn(), '', 'logging-configuration/abc']) {
      await expectFieldErrors(client.send(new GetLoggingConfigurationCommand({ identifier: bad })), ['identifier']);
    }
    await expectError(client.send(new GetLoggingConfigurationCommand({ identifier: loggingArn('A', region, OTHER_ACCOUNT) })), 'AccessDeniedException', 403);
  });
});

describe('UpdateLoggingConfiguration', () => {
  test('only sent members change; updateTime moves forward; createTime, arn, tags stay; state ACTIVE', async () => {
    const { client, create } = kit();
    const created = await create({ name: 'before', tags: { t: '1' } });
    const renamed = await client.send(new UpdateLoggingConfigurationCommand({ identifier: created.arn, name: 'after' }));
    assert.equal(renamed.name, 'after');
    assert.deepEqual(renamed.destinationConfiguration, S3);
    assert.deepEqual(renamed.tags, { t: '1' });
    assert.equal(renamed.state, 'ACTIVE');
    assert.equal(renamed.arn, created.arn);
    assert.equal(renamed.createTime!.getTime(), created.createTime!.getTime());
    assert.ok(renamed.updateTime!.getTime() > created.updateTime!.getTime());
    const moved = await client.send(
      new UpdateLoggingConfigurationCommand({ identifier: created.arn, destinationConfiguration: { cloudWatchLogs: { logGroupName: 'grp' } } }),
    );
    assert.equal(moved.name, 'after');
    assert.deepEqual(moved.destinationConfiguration, { cloudWatchLogs: { logGroupName: 'grp' } });
    assert.ok(moved.updateTime!.getTime() > renamed.updateTime!.getTime());
    const got = await client.send(new GetLoggingConfigurationCommand({ identifier: created.arn }));
    assert.equal(got.updateTime!.getTime(), moved.updateTime!.getTime());
    assert.deepEqual(got.destinationConfiguration, moved.destinationConfiguration);
    const cleared = await client.send(new UpdateLoggingConfigurationCommand({ identifier: created.arn, name: '' }));
    assert.equal(cleared.name, '');
  });

  test('invalid members together; unknown → 404', async () => {
    const { region, client, create } = kit();
    const created = await create();
    await expectFieldErrors(
      client.send(
        new UpdateLoggingConfigurationCommand({
          identifier: created.arn,
          name: chars(129),
          destinationConfiguration: { firehose: { deliveryStreamName: '' } },
        }),
      ),
      ['name', 'destinationConfiguration.firehose.deliveryStreamName'],
    );
    await expectError(
      client.send(new UpdateLoggingConfigurationCommand({ identifier: loggingArn('NoSuchConf12', region), name: 'x' })),
      'ResourceNotFoundException',
      404,
      { resourceId: 'NoSuchConf12', resourceType: 'LOGGING_CONFIGURATION' },
    );
  });
});

describe('DeleteLoggingConfiguration', () => {
  test('204; then 404 on get and on a second delete', async () => {
    const { client, create } = kit();
    const created = await create();
    assert.equal((await client.send(new DeleteLoggingConfigurationCommand({ identifier: created.arn }))).$metadata.httpStatusCode, 204);
    await expectError(client.send(new GetLoggingConfigurationCommand({ identifier: created.arn })), 'ResourceNotFoundException', 404);
    await expectError(client.send(new DeleteLoggingConfigurationCommand({ identifier: created.arn })), 'ResourceNotFoundException', 404, {
      resourceId: created.id,
      resourceType: 'LOGGING_CONFIGURATION',
    });
  });

  test('while a room uses it: 409 ConflictException and nothing deleted; after detaching it succeeds', async () => {
    const { client, create } = kit();
    const config = await create();
    const room = await client.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [config.arn!] }));
    await expectError(client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn })), 'ConflictException', 409, {
      resourceId: config.id,
      resourceType: 'LOGGING_CONFIGURATION',
    });
    assert.equal((await client.send(new GetLoggingConfigurationCommand({ identifier: config.arn }))).arn, config.arn);
    await client.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [] }));
    assert.equal((await client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn }))).$metadata.httpStatusCode, 204);
  });
});

describe('ListLoggingConfigurations', () => {
  test('summaries of the region only, newest updateTime first; an update moves one to the front', async () => {
    const { client, create } = kit();
    const a = await create({ name: 'a' });
    const b = await create({ name: 'b', tags: { k: 'v' } });
    const other = await kit().create({ name: 'elsewhere' });
    const list = async () => (await client.send(new ListLoggingConfigurationsCommand({}))).loggingConfigurations!;
    const first = await list();
    assert.deepEqual(first.map((c) => c.arn).sort(), [a.arn, b.arn].sort());
    assert.ok(!first.some((c) => c.arn === other.arn));
    const summary = first.find((c) => c.arn === b.arn)!;
    assert.equal(summary.name, 'b');
    assert.deepEqual(summary.tags, { k: 'v' });
    assert.deepEqual(summary.destinationConfiguration, S3);
    assert.equal(summary.state, 'ACTIVE');
    // Twice, so the result is above every creation time even within one millisecond.
    for (let i = 0; i < 2; i++) await client.send(new UpdateLoggingConfigurationCommand({ identifier: a.arn, name: 'a2' }));
    const second = await list();
    assert.equal(second[0]!.arn, a.arn);
    assert.ok(second[0]!.updateTime!.getTime() > second[1]!.updateTime!.getTime());
  });
});
