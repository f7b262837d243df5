/**
 * The bench's instant review webhook speaks just enough HTTP/1.1 for Parlor's client: it must
 * answer pipelined and split requests, each once and in order, or `parlor-review` would
 * measure fallbacks instead of reviews.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';

let child: ChildProcess;
let port = 0;

before(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'bench/chat/servers/review-webhook.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    const m = /\{"port":(\d+)\}/.exec(out);
    if (m) {
      port = Number(m[1]);
      break;
    }
  }
  assert.ok(port > 0, 'the webhook printed its port');
});

after(() => {
  child.kill('SIGTERM');
});

const request = (body: string): string =>
  `POST /review HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Reads from `socket` until `count` answers arrived (or it closed); returns the text. */
async function answers(socket: Socket, count: number): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => void (text += chunk.toString('latin1')));
  const deadline = Date.now() + 5000;
  while ((text.match(/HTTP\/1\.1 200 OK/g) ?? []).length < count && !socket.destroyed && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return text;
}

test('pipelined requests in one write get one answer each', async () => {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(request('{"a":1}') + request('{"b":2}') + request('{"Content":"é"}'));
  const text = await answers(socket, 3);
  assert.equal((text.match(/HTTP\/1\.1 200 OK/g) ?? []).length, 3);
  assert.equal((text.match(/\{"ReviewResult":"ALLOW"\}/g) ?? []).length, 3);
  socket.destroy();
});

test('a request split across writes is answered once it is complete', async () => {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setNoDelay(true);
  const whole = request('{"Content":"split"}');
  let text = '';
  socket.on('data', (chunk: Buffer) => void (text += chunk.toString('latin1')));
  socket.write(whole.slice(0, whole.length - 5));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(text, '', 'no answer to half a request');
  socket.write(whole.slice(whole.length - 5));
  assert.match(await answers(socket, 1), /^HTTP\/1\.1 200 OK\r\n/);
  socket.destroy();
});

test('a request without Content-Length closes the connection', async () => {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.resume();
  socket.write('POST /review HTTP/1.1\r\nHost: x\r\n\r\n');
  await once(socket, 'close');
});
