/**
 * History as reviewed and across restarts: a denied message is never kept, a rewritten one is
 * kept rewritten; kept messages survive a restart (ListMessages through boto3-style paging is in
 * clients.test.ts); DeleteRoom forgets them.
 */
import { CreateRoomCommand, DeleteRoomCommand, TagResourceCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParlorClient } from '../../src/client/index.js';
import { SqliteMessageHistory } from '../../src/history/sqlite-message-history.js';
import { chatToken, RawClient, type Frame } from '../helpers/chat.js';
import { allow, deny } from '../helpers/review-handlers.js';
import { messages, say, startReviewRig } from '../helpers/review-chat.js';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server.js';

const parlorOf = (server: TestServer) =>
  new ParlorClient({ endpoint: server.parlor.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
const isReplayEnd = (f: Frame) => f.Type === 'EVENT' && f['EventName'] === 'parlor:replay-end';

test('reviewed rooms: denied messages are not kept or replayed; rewritten ones are kept as delivered', async () => {
  const rig = await startReviewRig([]);
  try {
    rig.fake.on('judge', (r) => (r.Content.includes('bad') ? deny('no') : r.Content === 'rewrite me' ? allow('rewritten', { by: 'judge' }) : allow()));
    const roomArn = await rig.room({ uri: rig.lambdaArn('judge'), fallbackResult: 'ALLOW' });
    await rig.server.client().send(new TagResourceCommand({ resourceArn: roomArn, tags: { 'parlor:history': '10', 'parlor:replay': '10' } }));
    const talker = await rig.join(roomArn, 'talker');
    for (const content of ['fine', 'bad word', 'rewrite me']) {
      const requestId = say(talker, content);
      await talker.byRequest(requestId, 15_000);
    }
    assert.deepEqual(messages(talker).map((f) => f['Content']), ['fine', 'rewritten']);
    const listed = (await parlorOf(rig.server).listMessages({ roomIdentifier: roomArn })).messages;
    assert.deepEqual(listed.map((m) => [m.content, m.attributes]), [['rewritten', { by: 'judge' }], ['fine', {}]]);
    const late = await rig.join(roomArn, 'late');
    await late.next(isReplayEnd);
    assert.deepEqual(
      late.frames.filter((f) => f.Type === 'MESSAGE').map((f) => f['Content']),
      ['fine', 'rewritten'],
    );
  } finally {
    await rig.stop();
  }
});

test('kept messages survive a restart; DeleteRoom forgets them', async () => {
  const dataDir = tempDataDir();
  let server = await startTestServer({ dataDir });
  const roomArn = (await server.client().send(new CreateRoomCommand({ tags: { 'parlor:history': '10', 'parlor:replay': '10' } }))).arn!;
  const gone = (await server.client().send(new CreateRoomCommand({ tags: { 'parlor:history': '10' } }))).arn!;
  const send = async (arn: string, contents: string[]) => {
    const c = await RawClient.open(server, (await chatToken(server.client(), arn, 'talker', { capabilities: ['SEND_MESSAGE'] })).token!);
    for (const content of contents) {
      c.send({ Action: 'SEND_MESSAGE', RequestId: content, Content: content });
      assert.equal((await c.byRequest(content)).Type, 'MESSAGE');
    }
    c.ws.close();
  };
  await send(roomArn, ['before-1', 'before-2']);
  await send(gone, ['doomed']);
  // Stopped right after the sends: the shutdown writes what is still queued.
  await server.stop(true);
  server = await startTestServer({ dataDir });
  try {
    assert.deepEqual((await parlorOf(server).listMessages({ roomIdentifier: roomArn })).messages.map((m) => m.content), ['before-2', 'before-1']);
    const late = await RawClient.open(server, (await chatToken(server.client(), roomArn, 'late')).token!);
    await late.next(isReplayEnd);
    assert.deepEqual(late.frames.map((f) => f['Content'] ?? f['EventName']), ['before-1', 'before-2', 'parlor:replay-end']);
    late.ws.close();
    assert.equal((await parlorOf(server).listMessages({ roomIdentifier: gone })).messages.length, 1);
    await server.client().send(new DeleteRoomCommand({ identifier: gone }));
  } finally {
    await server.stop(true);
  }
  const history = new SqliteMessageHistory(join(dataDir, 'history.db'));
  assert.deepEqual(await history.newest(gone, 10), []);
  assert.equal((await history.newest(roomArn, 10)).length, 2);
  await history.close();
});
