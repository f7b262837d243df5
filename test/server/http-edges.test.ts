/**
 * The HTTP edge: /metrics behind a bearer token, CORS preflights and headers as the SDK needs
 * them, and slow or oversized requests answered 408 / 431 within bounds a trickle cannot stretch.
 */
import { CreateRoomCommand, GetRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

const HEADERS_TIMEOUT_MS = 1500;
const REQUEST_TIMEOUT_MS = 3000;
let server: TestServer;
before(async () => {
  server = await startTestServer(
    { metricsToken: 'scrape-me', corsOrigins: ['http://app.example:8080'] },
    { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS },
  );
});
after(() => server.stop());

test('/metrics: 401 without the bearer token or with a wrong one, 200 with it', async () => {
  const url = `${server.parlor.endpoint}/metrics`;
  const none = await fetch(url);
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.doesNotMatch(await none.text(), /parlor_chat_connections/);
  assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  assert.equal((await fetch(url, { headers: { authorization: 'Basic c2NyYXBlLW1l' } })).status, 401);
  const ok = await fetch(url, { headers: { authorization: 'Bearer scrape-me' } });
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /parlor_chat_connections \d+/);
  assert.equal((await fetch(`${server.parlor.endpoint}/healthz`)).status, 200, '/healthz stays open');
});

test('CORS: the SDK\'s preflight is answered for an allowed origin; answers expose x-amzn-*', async () => {
  const requested = 'amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-user-agent,x-amz-security-token';
  const pre = await fetch(`${server.parlor.endpoint}/CreateRoom`, {
    method: 'OPTIONS',
    headers: { origin: 'http://app.example:8080', 'access-control-request-method': 'POST', 'access-control-request-headers': requested },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'http://app.example:8080');
  assert.match(pre.headers.get('access-control-allow-methods')!, /POST/);
  assert.deepEqual(pre.headers.get('access-control-allow-headers')!.split(', ').sort(), requested.split(',').sort());
  // A real signed call from that origin: allowed origin and exposed headers on success and error.
  const sdk = server.client();
  sdk.middlewareStack.add((next) => (args) => {
    (args.request as { headers: Record<string, string> }).headers['origin'] = 'http://app.example:8080';
    return next(args);
  }, { step: 'build', name: 'origin' });
  const seen: Array<Record<string, string | undefined>> = [];
  sdk.middlewareStack.add((next) => async (args) => {
    const out = await next(args);
    const headers = (out.response as { headers: Record<string, string> }).headers;
    seen.push({ origin: headers['access-control-allow-origin'], expose: headers['access-control-expose-headers'] });
    return out;
  }, { step: 'deserialize', name: 'seen' });
  await sdk.send(new CreateRoomCommand({ name: 'cors' }));
  await assert.rejects(sdk.send(new GetRoomCommand({ identifier: 'arn:aws:ivschat:us-east-1:123456789012:room/nothere1234' })), { name: 'ResourceNotFoundException' });
  assert.equal(seen.length, 2);
  for (const s of seen) {
    assert.equal(s.origin, 'http://app.example:8080');
    assert.match(s.expose!, /x-amzn-requestid/);
    assert.match(s.expose!, /x-amzn-errortype/);
  }
});

test('CORS: another origin gets no CORS headers; its preflight is not answered as allowed', async () => {
  const pre = await fetch(`${server.parlor.endpoint}/CreateRoom`, {
    method: 'OPTIONS',
    headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(pre.headers.get('access-control-allow-origin'), null);
  assert.notEqual(pre.status, 204);
});

function rawSocket(): Promise<Socket> {
  const url = new URL(server.parlor.endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sent until it closed; with the time it took. */
function untilClosed(socket: Socket): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  let text = '';
  socket.setEncoding('utf8').on('data', (c: string) => (text += c));
  return new Promise((resolve) => socket.once('close', () => resolve({ text, ms: Date.now() - started })));
}

test('a slowloris trickling header lines gets 408 within the header timeout (the trickle does not extend it)', async () => {
  const before = await metric408();
  const socket = await rawSocket();
  const closed = untilClosed(socket);
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  const trickle = setInterval(() => socket.writable && socket.write(`X-Slow-${Date.now()}: y\r\n`), 200);
  const { text, ms } = await closed;
  clearInterval(trickle);
  assert.match(text, /^HTTP\/1\.1 408 /);
  // The bound plus at most one check interval (1 s), with room for a loaded machine.
  assert.ok(ms < HEADERS_TIMEOUT_MS + 1000 + 3000, `closed after ${ms} ms`);
  assert.ok(ms >= HEADERS_TIMEOUT_MS - 100, `not before the bound (${ms} ms)`);
  assert.equal(await metric408(), before + 1);
});

test('a silent socket and a trickled body are closed with 408 too', async () => {
  const silent = await rawSocket();
  const body = await rawSocket();
  const closedSilent = untilClosed(silent);
  const closedBody = untilClosed(body);
  body.write('POST /ListRooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
  const trickle = setInterval(() => body.writable && body.write(' '), 200);
  const [s, b] = await Promise.all([closedSilent, closedBody]);
  clearInterval(trickle);
  assert.ok(s.ms < HEADERS_TIMEOUT_MS + 4000, `silent socket closed after ${s.ms} ms`);
  assert.match(b.text, /408/);
  assert.ok(b.ms < REQUEST_TIMEOUT_MS + 4000, `trickled body cut after ${b.ms} ms`);
});

test('an over-long request head gets 431', async () => {
  const socket = await rawSocket();
  const closed = untilClosed(socket);
  socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match((await closed).text, /^HTTP\/1\.1 431 /);
});

async function metric408(): Promise<number> {
  const text = await (await fetch(`${server.parlor.endpoint}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).text();
  const line = text.split('\n').find((l) => l.startsWith('parlor_http_request_timeouts_total '));
  return line ? Number(line.split(' ')[1]) : 0;
}
