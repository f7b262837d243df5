/**
 * The webhook HTTP/1.1 client (Http1Pool) against real node:http / node:https servers:
 * answers matched to their requests under pipelining, every way an answer can be framed, and
 * every way a connection can fail.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TurnEnd } from '../../src/lib/turn-end.js';
import { MAX_ANSWER_BYTES } from '../../src/review/http1-connection.js';
import { Http1Pool } from '../../src/review/http1-pool.js';
import { NEVER_CANCELLED, ReviewCancellation } from '../../src/review/message-reviewer.js';

const never = () => NEVER_CANCELLED;

/** A POST of `body` to `path` as the webhook reviewer writes it. */
function post(path: string, body: string): string {
  return `POST ${path} HTTP/1.1\r\nhost: test\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

type Route = (body: string, req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  readonly port: number;
  readonly server: Server;
  /** TCP connections accepted so far. */
  connections: number;
  readonly routes: Map<string, Route>;
  close(): Promise<void>;
}

async function startServer(make: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server = createServer): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const server = make((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = routes.get(req.url ?? '') ?? ((body, _req, r) => r.end(`echo:${body}`));
      route(Buffer.concat(chunks).toString('utf8'), req, res);
    });
  });
  server.keepAliveTimeout = 10_000;
  const state: TestServer = {
    port: 0,
    server,
    connections: 0,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { port: (server.address() as AddressInfo).port });
}

describe('Http1Pool', () => {
  let srv: TestServer;
  let pool: Http1Pool;
  before(async () => {
    srv = await startServer();
    pool = new Http1Pool({ tls: false, hostname: '127.0.0.1', port: srv.port }, new TurnEnd());
  });
  after(async () => {
    pool.close();
    await srv.close();
  });

  test('a burst of requests is pipelined: each gets its own answer, over few connections', async () => {
    const before = srv.connections;
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.request(post('/', `m${i}`), never())));
    answers.forEach((a, i) => assert.deepEqual(a, { status: 200, text: `echo:m${i}` }));
    const opened = srv.connections - before;
    assert.ok(opened >= 1 && opened <= 20, `${opened} connections for 200 requests made at once`);
  });

  test('answers framed by chunked encoding, by content-length, and non-UTF-8-safe splits come back whole', async () => {
    srv.routes.set('/chunked', (body, _req, res) => {
      res.write('{"ReviewResult":');
      setTimeout(() => res.end(`"ALLOW","Content":"${body} ✓"}`), 5);
    });
    const answer = await pool.request(post('/chunked', 'héllo'), never());
    assert.equal(answer.text, '{"ReviewResult":"ALLOW","Content":"héllo ✓"}');
  });

  test('the status is passed on (non-2xx is the caller’s to judge)', async () => {
    srv.routes.set('/teapot', (_b, _req, res) => {
      res.statusCode = 418;
      res.end('short and stout');
    });
    assert.deepEqual(await pool.request(post('/teapot', ''), never()), { status: 418, text: 'short and stout' });
  });

  test('a server closing after every answer (Connection: close) still answers every pipelined request', async () => {
    srv.routes.set('/once', (body, _req, res) => {
      res.setHeader('connection', 'close');
      res.end(`once:${body}`);
    });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.request(post('/once', `${i}`), never())));
    answers.forEach((a, i) => assert.equal(a.text, `once:${i}`));
  });

  test('a connection cut mid-pipeline: the request that had no answer is sent again once; one cut twice fails', async () => {
    let cuts = 0;
    srv.routes.set('/cut-once', (body, req, res) => {
      if (cuts++ === 0) req.socket.destroy();
      else res.end(`again:${body}`);
    });
    assert.equal((await pool.request(post('/cut-once', 'x'), never())).text, 'again:x');
    srv.routes.set('/cut-always', (_b, req) => req.socket.destroy());
    await assert.rejects(pool.request(post('/cut-always', 'y'), never()), /closed/);
    assert.equal((await pool.request(post('/', 'after'), never())).text, 'echo:after');
  });

  test('an answer over the size bound fails that request; the pool goes on', async () => {
    srv.routes.set('/huge', (_b, _req, res) => res.end('x'.repeat(MAX_ANSWER_BYTES + 1)));
    await assert.rejects(pool.request(post('/huge', ''), never()), /over/);
    assert.equal((await pool.request(post('/', 'next'), never())).text, 'echo:next');
  });

  test('cancelling rejects at once with the reason; a stalled connection is given up, later requests use another', async () => {
    srv.routes.set('/stall', () => undefined);
    const controller = new ReviewCancellation();
    const stalled = pool.request(post('/stall', ''), controller);
    setTimeout(() => controller.cancel(new Error('deadline')), 20);
    const t0 = performance.now();
    await assert.rejects(stalled, /deadline/);
    assert.ok(performance.now() - t0 < 500);
    assert.equal((await pool.request(post('/', 'later'), never())).text, 'echo:later');
    const cancelled = new ReviewCancellation();
    cancelled.cancel(new Error('before'));
    await assert.rejects(pool.request(post('/', 'x'), cancelled), /before/);
  });

  test('after close, requests fail', async () => {
    const closing = new Http1Pool({ tls: false, hostname: '127.0.0.1', port: srv.port }, new TurnEnd());
    closing.close();
    await assert.rejects(closing.request(post('/', ''), never()), /closed/);
  });
});

describe('Http1Pool against raw servers', () => {
  /** A TCP server answering each connection's data with `reply` (then closing when asked). */
  async function rawServer(reply: (socket: Socket, data: string) => void): Promise<{ port: number; close(): Promise<void> }> {
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('data', (d) => reply(socket, d.toString('latin1')));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
  }

  test('an answer without a length, ended by closing the connection, is read whole', async () => {
    const raw = await rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"ReviewResult":"ALLOW"}'));
    const pool = new Http1Pool({ tls: false, hostname: '127.0.0.1', port: raw.port }, new TurnEnd());
    try {
      assert.deepEqual(await pool.request(post('/', ''), never()), { status: 200, text: '{"ReviewResult":"ALLOW"}' });
      assert.equal((await pool.request(post('/', ''), never())).status, 200, 'the next request opens a new connection');
    } finally {
      pool.close();
      await raw.close();
    }
  });

  test('garbage instead of HTTP fails the request, without a crash', async () => {
    const raw = await rawServer((socket) => socket.write('SMTP ready\r\n\r\n'));
    const pool = new Http1Pool({ tls: false, hostname: '127.0.0.1', port: raw.port }, new TurnEnd());
    try {
      await assert.rejects(pool.request(post('/', ''), never()), /malformed|closed/);
    } finally {
      pool.close();
      await raw.close();
    }
  });

  test('an interim 100 Continue is skipped', async () => {
    const raw = await rawServer((socket) =>
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'),
    );
    const pool = new Http1Pool({ tls: false, hostname: '127.0.0.1', port: raw.port }, new TurnEnd());
    try {
      assert.deepEqual(await pool.request(post('/', ''), never()), { status: 200, text: 'ok' });
    } finally {
      pool.close();
      await raw.close();
    }
  });

  test('nobody listening: the request fails', async () => {
    const raw = await rawServer(() => undefined);
    const port = raw.port;
    await raw.close();
    const pool = new Http1Pool({ tls: false, hostname: '127.0.0.1', port }, new TurnEnd());
    try {
      await assert.rejects(pool.request(post('/', ''), never()), /ECONNREFUSED|closed/);
    } finally {
      pool.close();
    }
  });
});

const opensslMissing = spawnSync('openssl', ['version']).status !== 0;

describe('Http1Pool over TLS', { skip: opensslMissing ? 'SKIPPED: openssl is not installed, so no test certificate can be made' : false }, () => {
  test('https: pipelined requests are answered over TLS, with the certificate checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parlor-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'key.pem'));
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const srv = await startServer((handler) => createTlsServer({ key, cert }, handler));
    const trusted = new Http1Pool({ tls: true, hostname: 'localhost', port: srv.port, ca: cert }, new TurnEnd());
    const untrusted = new Http1Pool({ tls: true, hostname: 'localhost', port: srv.port }, new TurnEnd());
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => trusted.request(post('/', `t${i}`), never())));
      answers.forEach((a, i) => assert.equal(a.text, `echo:t${i}`));
      await assert.rejects(untrusted.request(post('/', ''), never()), /certificate/i);
    } finally {
      trusted.close();
      untrusted.close();
      await srv.close();
    }
  });
});
