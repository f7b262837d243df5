/**
 * State survives a process restart: rooms, logging configurations and tags written through the
 * SDK to a real `parlor` process are there after SIGTERM, and after kill -9, on the same data
 * directory. Also: SIGTERM exits with 0, /healthz answers.
 */
import {
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  DeleteRoomCommand,
  GetLoggingConfigurationCommand,
  GetRoomCommand,
  IvschatClient,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRoomCommand,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { tempDataDir } from '../helpers/server.js';

const dataDir = tempDataDir();
const running: CliProcess[] = [];
after(() => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ proc: CliProcess; client: IvschatClient }> {
  const proc = await startCli(['--port', '0', '--data-dir', dataDir]);
  running.push(proc);
  const client = new IvschatClient({
    region: 'us-west-2',
    endpoint: proc.endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  return { proc, client };
}

const body = <T extends { $metadata: unknown }>(out: T): Omit<T, '$metadata'> => {
  const { $metadata: _m, ...rest } = out;
  return rest;
};

test('rooms, logging configurations and tags survive SIGTERM and kill -9', async () => {
  // First life: write, then stop gracefully.
  let { proc, client } = await start();
  // The start-up banner names endpoint, chat URL, data directory, mode and authentication.
  assert.match(proc.stdout(), /embedded mode/);
  assert.match(proc.stdout(), /chat WebSocket: +ws:\/\/127\.0\.0\.1:\d+/);
  assert.ok(proc.stdout().includes(`data directory: ${dataDir}`), proc.stdout());
  assert.match(proc.stdout(), /authentication: open/);
  const health = await fetch(`${proc.endpoint}/healthz`);
  assert.equal(health.status, 200);
  assert.match(health.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');

  const config = await client.send(
    new CreateLoggingConfigurationCommand({ name: 'logs', destinationConfiguration: { s3: { bucketName: 'restart-bucket' } }, tags: { c: '1' } }),
  );
  const room = await client.send(
    new CreateRoomCommand({ name: 'durable', maximumMessageLength: 42, tags: { r: '1' }, loggingConfigurationIdentifiers: [config.arn!] }),
  );
  await client.send(new TagResourceCommand({ resourceArn: room.arn, tags: { added: 'yes' } }));
  const updated = await client.send(new UpdateRoomCommand({ identifier: room.arn, maximumMessageRatePerSecond: 3 }));
  const doomed = await client.send(new CreateRoomCommand({ name: 'deleted-before-restart' }));
  await client.send(new DeleteRoomCommand({ identifier: doomed.arn }));
  client.destroy();

  proc.child.kill('SIGTERM');
  assert.deepEqual(await proc.exited, { code: 0, signal: null }, 'SIGTERM exits with code 0');
  assert.match(proc.stdout(), /SIGTERM received/);

  // Second life: everything is back exactly; then write more and die without warning.
  ({ proc, client } = await start());
  const gotRoom = await client.send(new GetRoomCommand({ identifier: room.arn }));
  assert.deepEqual(body(gotRoom), body(updated));
  assert.deepEqual(gotRoom.tags, { r: '1', added: 'yes' });
  assert.deepEqual(body(await client.send(new GetLoggingConfigurationCommand({ identifier: config.arn }))), body(config));
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: config.arn }))).tags, { c: '1' });
  assert.deepEqual((await client.send(new ListRoomsCommand({}))).rooms!.map((r) => r.arn), [room.arn]);

  const second = await client.send(new CreateRoomCommand({ name: 'after-restart', loggingConfigurationIdentifiers: [config.arn!] }));
  await client.send(new UntagResourceCommand({ resourceArn: room.arn, tagKeys: ['r'] }));
  const last = await client.send(new UpdateRoomCommand({ identifier: room.arn, name: 'renamed' }));
  client.destroy();
  proc.child.kill('SIGKILL');
  assert.equal((await proc.exited).signal, 'SIGKILL');

  // Third life: every acknowledged write is there.
  ({ proc, client } = await start());
  assert.deepEqual(body(await client.send(new GetRoomCommand({ identifier: room.arn }))), body(last));
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: room.arn }))).tags, { added: 'yes' });
  assert.equal((await client.send(new GetRoomCommand({ identifier: second.arn }))).name, 'after-restart');
  assert.deepEqual(
    (await client.send(new ListRoomsCommand({ loggingConfigurationIdentifier: config.arn }))).rooms!.map((r) => r.arn).sort(),
    [room.arn, second.arn].sort(),
  );
  assert.equal((await client.send(new ListLoggingConfigurationsCommand({}))).loggingConfigurations!.length, 1);
  client.destroy();
  proc.child.kill('SIGTERM');
  assert.equal((await proc.exited).code, 0);
});

test('SIGINT also exits with code 0, even with an idle keep-alive connection open; a bad flag exits with 2', async () => {
  const proc = await startCli(['--port', '0', '--data-dir', dataDir]);
  running.push(proc);
  const port = new URL(proc.endpoint).port;
  await assert.rejects(startCli(['--port', port, '--data-dir', join(dataDir, 'other')]), /exited \(code 1.*EADDRINUSE/s, 'a taken port is a clean exit 1');
  const res = await fetch(`${proc.endpoint}/ListRooms`, { method: 'POST', body: '{}', headers: { connection: 'keep-alive' } });
  assert.equal(res.status, 200);
  await res.text();
  proc.child.kill('SIGINT');
  assert.deepEqual(await proc.exited, { code: 0, signal: null });
  await assert.rejects(startCli(['--port', 'eighty', '--data-dir', dataDir]), /exited \(code 2.*PARLOR_PORT/s);
});
