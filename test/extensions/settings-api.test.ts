/**
 * `parlor:` tags through the JS SDK: CreateRoom and TagResource refuse bad values and unknown
 * keys with a ValidationException naming the tag; a tag change applies to the next message of
 * connected clients, as an UpdateRoom does (seen through what the room keeps).
 */
import { CreateLoggingConfigurationCommand, CreateRoomCommand, GetRoomCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParlorClient } from '../../src/client/index.js';
import { chatToken, RawClient } from '../helpers/chat.js';
import { expectFieldErrors } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';

const server = serverPerFile();
const parlor = () => new ParlorClient({ endpoint: server.parlor.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });

test('CreateRoom refuses a bad parlor: value and an unknown parlor: key, naming each tag; nothing is created', async () => {
  const client = server.client();
  await expectFieldErrors(
    client.send(new CreateRoomCommand({ name: 'bad', tags: { 'parlor:history': '5000', 'parlor:nope': '1', 'parlor:replay': '10', plain: 'x' } })),
    ['tags.parlor:history', 'tags.parlor:nope'],
  );
  await expectFieldErrors(client.send(new CreateRoomCommand({ tags: { 'parlor:presence-events': 'TRUE' } })), ['tags.parlor:presence-events']);
  // Model problems and parlor: problems come in one answer.
  await expectFieldErrors(client.send(new CreateRoomCommand({ maximumMessageLength: 0, tags: { 'parlor:slow-mode': '3601' } })), [
    'maximumMessageLength',
    'tags.parlor:slow-mode',
  ]);
  const room = await client.send(new CreateRoomCommand({ tags: { 'parlor:history': '10', 'parlor:replay': '5', 'parlor:slow-mode': '0', 'parlor:presence-events': 'false' } }));
  assert.equal((await client.send(new GetRoomCommand({ identifier: room.arn! }))).tags?.['parlor:history'], '10');
});

test('TagResource refuses bad parlor: tags on a room and keeps the old ones; a logging configuration takes any tag', async () => {
  const client = server.client();
  const room = await client.send(new CreateRoomCommand({ tags: { 'parlor:history': '3' } }));
  await expectFieldErrors(client.send(new TagResourceCommand({ resourceArn: room.arn!, tags: { 'parlor:history': 'lots', other: 'x' } })), ['tags.parlor:history']);
  await expectFieldErrors(client.send(new TagResourceCommand({ resourceArn: room.arn!, tags: { 'parlor:histroy': '3' } })), ['tags.parlor:histroy']);
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: room.arn! }))).tags, { 'parlor:history': '3' });
  const log = await client.send(
    new CreateLoggingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: 'bucket' } }, tags: { 'parlor:anything': 'goes' } }),
  );
  await client.send(new TagResourceCommand({ resourceArn: log.arn!, tags: { 'parlor:history': 'many' } }));
  assert.equal((await client.send(new ListTagsForResourceCommand({ resourceArn: log.arn! }))).tags?.['parlor:history'], 'many');
});

test('TagResource and UntagResource apply to the next message of a connected client', async () => {
  const client = server.client();
  const room = (await client.send(new CreateRoomCommand({}))).arn!;
  const sender = await RawClient.open(server, (await chatToken(client, room, 'alice', { capabilities: ['SEND_MESSAGE'] })).token!);
  const send = async (content: string) => {
    sender.send({ Action: 'SEND_MESSAGE', RequestId: content, Content: content });
    assert.equal((await sender.byRequest(content)).Type, 'MESSAGE');
  };
  const kept = async () => (await parlor().listMessages({ roomIdentifier: room })).messages.map((m) => m.content);

  await send('before-tag');
  assert.deepEqual(await kept(), []);
  await client.send(new TagResourceCommand({ resourceArn: room, tags: { 'parlor:history': '10' } }));
  await send('while-tagged');
  assert.deepEqual(await kept(), ['while-tagged']);
  await client.send(new UntagResourceCommand({ resourceArn: room, tagKeys: ['parlor:history'] }));
  await send('after-untag');
  // Untagging sets history back to 0, which keeps nothing (and trims at once).
  assert.deepEqual(await kept(), []);
  sender.ws.close();
});
