/**
 * SIGTERM ends the process within the documented bound whatever clients hold — a half-sent
 * request, a chat client that stopped reading, an idle socket, a request body that never
 * ends — with exit code 0, after flushing the chat logs.
 */
import { CreateLoggingConfigurationCommand, CreateRoomCommand, IvschatClient, SendEventCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { SHUTDOWN_BOUND_MS } from '../../src/app/start.js';
import { chatToken, waitFor } from '../helpers/chat.js';
import { readLocalChatLogs } from '../helpers/chat-logs.js';
import { startCli } from '../helpers/cli.js';
import { tempDataDir } from '../helpers/server.js';

function rawSocket(endpoint: string): Promise<Socket> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
    socket.on('error', () => {});
  });
}

test(`SIGTERM with stalled clients ends within ${SHUTDOWN_BOUND_MS / 1000} s, exit 0, chat logs flushed`, async () => {
  const dataDir = tempDataDir();
  const proc = await startCli(['--port', '0', '--data-dir', dataDir]);
  const sdk = new IvschatClient({ region: 'us-east-1', endpoint: proc.endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
  const logging = await sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { firehose: { deliveryStreamName: 'shutdown-stream' } } }));
  const room = await sdk.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [logging.arn!] }));

  // A chat client that stops reading while the room keeps talking: its socket fills up.
  const slow = new WebSocket(proc.endpoint.replace(/^http/, 'ws'), (await chatToken(sdk, room.arn!, 'slow')).token!);
  slow.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    slow.once('open', () => resolve());
    slow.once('error', reject);
  });
  slow.pause();
  const attributes = { blob: 'x'.repeat(900) };
  for (let i = 0; i < 10; i++) {
    await Promise.all(Array.from({ length: 20 }, () => sdk.send(new SendEventCommand({ roomIdentifier: room.arn!, eventName: 'fill', attributes }))));
  }
  // A half-sent request, an idle socket, a body that never ends.
  const half = await rawSocket(proc.endpoint);
  half.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const idle = await rawSocket(proc.endpoint);
  const body = await rawSocket(proc.endpoint);
  body.write('POST /ListRooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
  sdk.destroy();

  const started = Date.now();
  proc.child.kill('SIGTERM');
  const exit = await proc.exited;
  const ms = Date.now() - started;
  assert.deepEqual(exit, { code: 0, signal: null });
  // The bound, plus process start-up jitter on a loaded machine.
  assert.ok(ms < SHUTDOWN_BOUND_MS + 2000, `exited after ${ms} ms`);
  for (const s of [half, idle, body]) s.destroy();
  slow.terminate();
  // Everything the room said was logged before the process ended.
  const lines = readLocalChatLogs(dataDir).firehose('shutdown-stream');
  await waitFor('chat log lines', () => (lines.length >= 200 ? true : undefined), 1000);
  assert.equal(lines.filter((l) => l.includes('"fill"')).length, 200);
});
