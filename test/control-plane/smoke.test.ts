import { CreateRoomCommand, GetRoomCommand, UpdateRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverPerFile } from '../helpers/server.js';

const server = serverPerFile();

test('a room created through the JS SDK can be updated and read back', async () => {
  const client = server.client();
  const created = await client.send(new CreateRoomCommand({ name: 'lobby' }));
  assert.equal(created.maximumMessageLength, 500);
  assert.equal(created.maximumMessageRatePerSecond, 10);
  assert.match(created.id ?? '', /^[a-zA-Z0-9]{12}$/);
  const updated = await client.send(new UpdateRoomCommand({ identifier: created.arn, maximumMessageLength: 123 }));
  assert.equal(updated.maximumMessageLength, 123);
  assert.equal(updated.name, 'lobby');
  assert.ok(updated.updateTime! > created.updateTime!);
  const got = await client.send(new GetRoomCommand({ identifier: created.arn }));
  assert.deepEqual(got.updateTime, updated.updateTime);
});
