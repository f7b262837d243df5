/** TagResource, UntagResource, ListTagsForResource on rooms and logging configurations. */
import {
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  GetLoggingConfigurationCommand,
  GetRoomCommand,
  ListRoomsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRoomCommand,
  type IvschatClient,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { expectError, expectFieldErrors } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';
import { chars, freshRegion, loggingArn, OTHER_ACCOUNT, roomArn, tagsOf } from './fixtures.js';

const server = serverPerFile();
/** Each test works in a region of its own (logging configurations have a quota of 10 per region). */
let region: string;
let client: IvschatClient;
beforeEach(() => {
  region = freshRegion();
  client = server.client(region);
});

const tagsOfResource = async (arn: string) => (await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
const tag = (arn: string, tags: Record<string, string>) => client.send(new TagResourceCommand({ resourceArn: arn, tags }));
const untag = (arn: string, tagKeys: string[]) => client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys }));

async function resources(): Promise<{ kind: string; arn: string }[]> {
  const room = await client.send(new CreateRoomCommand({ tags: { start: 'yes' } }));
  const config = await client.send(
    new CreateLoggingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'tags-bucket' } }, tags: { start: 'yes' } }),
  );
  return [
    { kind: 'room', arn: room.arn! },
    { kind: 'logging configuration', arn: config.arn! },
  ];
}

describe('tags', () => {
  test('tag, overwrite, list and untag (repeated tagKeys) on both resource kinds', async () => {
    for (const { kind, arn } of await resources()) {
      assert.deepEqual(await tagsOfResource(arn), { start: 'yes' }, kind);
      const out = await tag(arn, { a: '1', b: '2', c: '3', start: 'changed' });
      assert.equal(out.$metadata.httpStatusCode, 200);
      assert.deepEqual(await tagsOfResource(arn), { start: 'changed', a: '1', b: '2', c: '3' }, kind);
      assert.equal((await untag(arn, ['a', 'c'])).$metadata.httpStatusCode, 200);
      assert.deepEqual(await tagsOfResource(arn), { start: 'changed', b: '2' }, kind);
    }
  });

  test('tags show in Get and List answers of the resource', async () => {
    const [room, config] = await resources();
    await tag(room!.arn, { seen: 'get' });
    await tag(config!.arn, { seen: 'get' });
    assert.deepEqual((await client.send(new GetRoomCommand({ identifier: room!.arn }))).tags, { start: 'yes', seen: 'get' });
    assert.deepEqual((await client.send(new GetLoggingConfigurationCommand({ identifier: config!.arn }))).tags, { start: 'yes', seen: 'get' });
    const listed = (await client.send(new ListRoomsCommand({}))).rooms!.find((r) => r.arn === room!.arn);
    assert.deepEqual(listed?.tags, { start: 'yes', seen: 'get' });
  });

  test('tagging does not touch updateTime; UpdateRoom does not touch tags', async () => {
    const [room] = await resources();
    const before = await client.send(new GetRoomCommand({ identifier: room!.arn }));
    await tag(room!.arn, { x: 'y' });
    const after = await client.send(new GetRoomCommand({ identifier: room!.arn }));
    assert.equal(after.updateTime!.getTime(), before.updateTime!.getTime());
    await client.send(new UpdateRoomCommand({ identifier: room!.arn, name: 'renamed' }));
    assert.deepEqual(await tagsOfResource(room!.arn), { start: 'yes', x: 'y' });
  });

  test('untagging absent keys is a no-op, and so is an empty key list', async () => {
    const [room] = await resources();
    await untag(room!.arn, ['never-set']);
    await untag(room!.arn, ['never-set']);
    await untag(room!.arn, []);
    assert.deepEqual(await tagsOfResource(room!.arn), { start: 'yes' });
  });

  test('keys and values with characters that need encoding travel intact', async () => {
    const [room] = await resources();
    const odd = { 'a b': 'c d', 'x/y': 'p&q=r', 'plus+sign': '100%', 'ünï': '😀', 'a:b': '' };
    await tag(room!.arn, odd);
    assert.deepEqual(await tagsOfResource(room!.arn), { start: 'yes', ...odd });
    await untag(room!.arn, Object.keys(odd));
    assert.deepEqual(await tagsOfResource(room!.arn), { start: 'yes' });
  });

  test('at most 50 tags after the merge: 50 accepted, 51 rejected without writing', async () => {
    const [room] = await resources();
    await tag(room!.arn, tagsOf(49));
    assert.equal(Object.keys((await tagsOfResource(room!.arn))!).length, 50);
    await tag(room!.arn, { k0: 'overwrite is fine' });
    await expectFieldErrors(tag(room!.arn, { one: 'too many' }), ['tags']);
    assert.equal(Object.keys((await tagsOfResource(room!.arn))!).length, 50);
    await expectFieldErrors(tag(room!.arn, tagsOf(51, 'n')), ['tags']);
  });

  test('key 128/129, value 256/257, empty key; tags required for TagResource', async () => {
    const [room] = await resources();
    await tag(room!.arn, { [chars(128)]: chars(256) });
    assert.equal((await tagsOfResource(room!.arn))![chars(128)], chars(256));
    await expectFieldErrors(tag(room!.arn, { [chars(129)]: 'v' }), [`tags.${chars(129)}(key)`]);
    await expectFieldErrors(tag(room!.arn, { k: chars(257) }), ['tags.k']);
    await expectFieldErrors(client.send(new TagResourceCommand({ resourceArn: room!.arn } as { resourceArn: string; tags: Record<string, string> })), ['tags']);
    await expectFieldErrors(untag(room!.arn, Array.from({ length: 51 }, (_, i) => `k${i}`)), ['tagKeys']);
    await expectFieldErrors(untag(room!.arn, [chars(129)]), ['tagKeys[0]']);
  });

  test('unknown resources are 404 for each kind; other accounts are denied; other ARNs are invalid', async () => {
    await expectError(tagsOfResource(roomArn('NoSuchRoom12', region)), 'ResourceNotFoundException', 404, { resourceId: 'NoSuchRoom12', resourceType: 'ROOM' });
    await expectError(tag(loggingArn('NoSuchConf12', region), { a: 'b' }), 'ResourceNotFoundException', 404, {
      resourceId: 'NoSuchConf12',
      resourceType: 'LOGGING_CONFIGURATION',
    });
    await expectError(untag(roomArn('NoSuchRoom12', region), ['a']), 'ResourceNotFoundException', 404);
    await expectError(tagsOfResource(roomArn('NoSuchRoom12', region, OTHER_ACCOUNT)), 'AccessDeniedException', 403);
    for (const bad of ['arn:aws:ivschat:us-east-1:123456789012:channel/abc', 'arn:aws:ivs:us-east-1:123456789012:room/abc', 'room', roomArn(chars(85, 'A'))]) {
      await expectFieldErrors(tagsOfResource(bad), ['resourceArn']);
    }
  });

  test('a room of this account in another region is not found from here', async () => {
    const [room] = await resources();
    await expectError(server.client('ap-south-1').send(new ListTagsForResourceCommand({ resourceArn: room!.arn })), 'ResourceNotFoundException', 404);
  });
});
