/**
 * Parlor behind real nginx and HAProxy, configured as docs/deployment.md shows: the SDK's
 * signed calls pass, chat upgrades pass, and with PARLOR_TRUSTED_PROXIES naming the proxy the
 * review handler sees the viewer's address (here 127.0.0.2), not the proxy's, and not what the
 * viewer forged in its own X-Forwarded-For. Skipped, loudly, where a proxy is not installed.
 */
import { CreateChatTokenCommand, CreateRoomCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WebSocket } from 'ws';
import { RawClient, waitFor } from '../helpers/chat.js';
import { allow } from '../helpers/review-handlers.js';
import { startReviewRig, type ReviewRig } from '../helpers/review-chat.js';

const VIEWER_ADDRESS = '127.0.0.2';
const has = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const nginx = has('nginx', ['-v']);
const haproxy = has('haproxy', ['-v']);
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitListening(port: number): Promise<void> {
  await waitFor(
    `a proxy on port ${port}`,
    () =>
      new Promise<true | undefined>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(undefined));
      }),
    30_000,
  );
}

function startProxy(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`${command} exited ${code}: ${stderr}`);
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return child;
}

async function rig(): Promise<ReviewRig> {
  const r = await startReviewRig([], { trustedProxies: ['127.0.0.1/32'] });
  r.fake.on('ip', () => allow());
  cleanups.push(() => r.stop());
  return r;
}

/** Through the proxy at `proxyPort`: SDK calls, a chat connection from VIEWER_ADDRESS, a reviewed message. */
async function throughProxy(r: ReviewRig, proxyPort: number): Promise<string> {
  const endpoint = `http://127.0.0.1:${proxyPort}`;
  const sdk = new IvschatClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
  cleanups.push(() => sdk.destroy());
  const room = await sdk.send(new CreateRoomCommand({ name: 'proxied', messageReviewHandler: { uri: r.lambdaArn('ip'), fallbackResult: 'DENY' } }));
  const token = (await sdk.send(new CreateChatTokenCommand({ roomIdentifier: room.arn!, userId: 'viewer', capabilities: ['SEND_MESSAGE'] }))).token!;
  // The viewer forges a hop; the proxy appends the address it really came from.
  const ws = new WebSocket(`ws://127.0.0.1:${proxyPort}`, token, { localAddress: VIEWER_ADDRESS, headers: { 'x-forwarded-for': '198.51.100.66' } });
  const client = new RawClient(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const before = r.fake.calls.length;
  client.send({ action: 'SEND_MESSAGE', requestId: 'p1', content: 'through the proxy' });
  const echo = await client.byRequest('p1', 15_000);
  assert.equal(echo.Type, 'MESSAGE');
  ws.close();
  return r.fake.calls[before]!.body.Sender.Ip;
}

test('nginx (docs/deployment.md): signed calls and chat pass; Sender.Ip is the viewer behind it', { skip: nginx ? false : 'nginx is not installed (apt-get install nginx)' }, async () => {
  const r = await rig();
  const upstream = new URL(r.server.parlor.endpoint).port;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parlor-nginx-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream parlor { server 127.0.0.1:${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://parlor;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_buffering off;
      client_max_body_size 1m;
    }
  }
}
`,
  );
  startProxy('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')]);
  await waitListening(port);
  assert.equal(await throughProxy(r, port), VIEWER_ADDRESS);
});

test('HAProxy (docs/deployment.md): signed calls and chat pass; Sender.Ip is the viewer behind it', { skip: haproxy ? false : 'HAProxy is not installed (apt-get install haproxy)' }, async () => {
  const r = await rig();
  const upstream = new URL(r.server.parlor.endpoint).port;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'parlor-haproxy-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'haproxy.cfg'),
    `defaults
    mode http
    timeout connect 5s
    timeout client  60s
    timeout server  60s
    timeout tunnel  1h
    timeout http-request 10s

frontend chat
    bind 127.0.0.1:${port}
    option forwardfor
    default_backend parlor

backend parlor
    server parlor1 127.0.0.1:${upstream}
`,
  );
  startProxy('haproxy', ['-f', join(dir, 'haproxy.cfg'), '-db']);
  await waitListening(port);
  assert.equal(await throughProxy(r, port), VIEWER_ADDRESS);
});
