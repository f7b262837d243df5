/**
 * The operator's metrics on /metrics, driven through the real clients (the AWS SDK, the
 * Parlor client, raw WebSockets): each outcome moves its counter by exactly the expected
 * amount; every parlor_ metric is documented in docs/metrics.md.
 */
import { CreateRoomCommand, DeleteRoomCommand, GetRoomCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { ParlorClient } from '../../src/client/index.js';
import { chatToken, ChatRoom, connected, RawClient, SendMessageRequest, upgradeStatus, waitFor, type Frame } from '../helpers/chat.js';
import { assertDocumented, delta, scrape } from '../helpers/metrics.js';
import { allow, deny, type Behaviour } from '../helpers/review-handlers.js';
import { say, startReviewRig, type ReviewRig } from '../helpers/review-chat.js';
import { startTestServer } from '../helpers/server.js';

const judge: Behaviour = (request) => {
  switch (request.Content) {
    case 'deny':
      return deny('no');
    case 'fail':
      return { kind: 'function-error' };
    default:
      return allow();
  }
};

let rig: ReviewRig;
before(async () => {
  rig = await startReviewRig([], { reviewTimeoutMs: 2000 });
  rig.fake.on('judge', judge);
});
after(() => rig.stop());

const endpoint = (): string => rig.server.parlor.endpoint;
const control = () => rig.server.client();
const parlor = () => new ParlorClient({ endpoint: endpoint(), region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });

async function createRoom(input: { maximumMessageLength?: number; maximumMessageRatePerSecond?: number; tags?: Record<string, string> } = {}): Promise<string> {
  return (await control().send(new CreateRoomCommand({ name: 'metrics', ...input }))).arn!;
}

/** The answer (MESSAGE or ERROR) to each request id, in order. */
async function answers(client: RawClient, requestIds: readonly string[]): Promise<Frame[]> {
  return Promise.all(requestIds.map((id) => client.byRequest(id, 10_000)));
}

const outcome = (o: string) => ['parlor_chat_messages_total', { outcome: o }] as const;

test('chat messages: delivered, validation and forbidden counted once each; deliveries count every frame written', async () => {
  const roomArn = await createRoom({ maximumMessageLength: 10 });
  const sender = await rig.join(roomArn, 'sender');
  const reader = await rig.join(roomArn, 'reader', { capabilities: ['DELETE_MESSAGE'] });
  const before = await scrape(endpoint());

  const sent = [say(sender, 'hello'), say(sender, 'x'.repeat(11))];
  sender.send({ Action: 'SEND_MESSAGE', RequestId: 'empty-content', Content: '' });
  const [ok, tooLong] = await answers(sender, sent);
  const empty = await sender.byRequest('empty-content');
  const refused = await reader.byRequest(say(reader, 'hi'));
  await reader.next((f) => f.Type === 'MESSAGE');
  assert.equal(ok!.Type, 'MESSAGE');
  assert.deepEqual([tooLong!.ErrorCode, empty.ErrorCode, refused.ErrorCode], [400, 400, 403]);

  const moved = delta(before, await scrape(endpoint()));
  assert.equal(moved(...outcome('delivered')), 1);
  assert.equal(moved(...outcome('validation')), 2);
  assert.equal(moved(...outcome('forbidden')), 1);
  for (const other of ['rate_limit', 'slow_mode', 'review_deny', 'review_fallback_deny', 'error']) assert.equal(moved(...outcome(other)), 0, other);
  // sender: its MESSAGE and two ERRORs; reader: the MESSAGE and its ERROR.
  assert.equal(moved('parlor_chat_deliveries_total'), 5);
  assert.ok(moved('parlor_chat_delivered_bytes_total') > 5 * 50);
});

test('chat messages: the official client delivers one', async () => {
  const roomArn = await createRoom();
  const client = control();
  const room = new ChatRoom({
    regionOrUrl: rig.server.parlor.chatUrl,
    tokenProvider: async () => {
      const t = await chatToken(client, roomArn, 'official', { capabilities: ['SEND_MESSAGE'] });
      return { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
    },
  });
  room.logger = { debug() {}, info() {}, error() {} };
  const before = await scrape(endpoint());
  await connected(room);
  await room.sendMessage(new SendMessageRequest('from the official client'));
  const moved = delta(before, await scrape(endpoint()));
  room.disconnect();
  assert.equal(moved(...outcome('delivered')), 1);
  assert.equal(moved('parlor_chat_connections_opened_total'), 1);
  assert.equal(moved('parlor_chat_deliveries_total'), 1);
});

test('chat messages: the room rate and slow mode each refuse under their own outcome', async () => {
  const rated = await createRoom({ maximumMessageRatePerSecond: 1 });
  const slow = await createRoom({ tags: { 'parlor:slow-mode': '60' } });
  const a = await rig.join(rated, 'a');
  const b = await rig.join(slow, 'b');
  const before = await scrape(endpoint());
  const fromA = await answers(a, [say(a, 'one'), say(a, 'two'), say(a, 'three')]);
  const fromB = await answers(b, [say(b, 'one'), say(b, 'two')]);
  const moved = delta(before, await scrape(endpoint()));
  const limited = fromA.filter((f) => f.Type === 'ERROR' && f.ErrorCode === 429).length;
  assert.ok(limited >= 1, 'a bucket of 1 refuses at least one of three at once');
  assert.deepEqual(
    fromB.map((f) => f.Type),
    ['MESSAGE', 'ERROR'],
  );
  assert.equal(moved(...outcome('rate_limit')), limited);
  assert.equal(moved(...outcome('slow_mode')), 1);
  assert.equal(moved(...outcome('delivered')), 3 - limited + 1);
});

test('chat messages and reviews: a handler deny and a fallback DENY are told apart', async () => {
  const roomArn = await rig.room({ uri: rig.lambdaArn('judge'), fallbackResult: 'DENY' });
  const sender = await rig.join(roomArn, 'sender');
  const before = await scrape(endpoint());
  const got = await answers(sender, [say(sender, 'deny'), say(sender, 'fail'), say(sender, 'fine')]);
  assert.deepEqual(
    got.map((f) => f.Type),
    ['ERROR', 'ERROR', 'MESSAGE'],
  );
  const moved = delta(before, await scrape(endpoint()));
  assert.equal(moved(...outcome('review_deny')), 1);
  assert.equal(moved(...outcome('review_fallback_deny')), 1);
  assert.equal(moved(...outcome('delivered')), 1);
  assert.equal(moved('parlor_reviews_total', { outcome: 'denied', reason: 'none' }), 1);
  assert.equal(moved('parlor_reviews_total', { outcome: 'fallback', reason: 'error' }), 1);
  assert.equal(moved('parlor_reviews_total', { outcome: 'allowed', reason: 'none' }), 1);
  assert.equal(moved('parlor_review_duration_seconds_count', { outcome: 'allowed' }), 1);
  assert.equal((await scrape(endpoint())).value('parlor_reviews_in_flight'), 0);
});

/** The status of an upgrade with a malformed key (refused before any token is looked at). */
function malformedUpgrade(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'short' } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('connections: opened, open, rooms, and refused by reason (handshake, auth, room_not_found, banned)', async () => {
  const roomA = await createRoom();
  const roomB = await createRoom();
  const gone = await createRoom();
  const before = await scrape(endpoint());
  const one = await rig.join(roomA, 'one');
  const two = await rig.join(roomB, 'two');
  const during = await scrape(endpoint());
  const moved = delta(before, during);
  assert.equal(moved('parlor_chat_connections_opened_total'), 2);
  assert.equal(moved('parlor_chat_connections'), 2);
  assert.equal(moved('parlor_chat_rooms'), 2);

  assert.equal(await malformedUpgrade(rig.server.parlor.port), 400);
  assert.equal(await upgradeStatus(rig.server, 'not-a-token'), 401);
  const goneToken = await chatToken(control(), gone, 'late');
  await control().send(new DeleteRoomCommand({ identifier: gone }));
  assert.equal(await upgradeStatus(rig.server, goneToken.token!), 404);
  const bannedToken = await chatToken(control(), roomA, 'troll');
  await parlor().banUser({ roomIdentifier: roomA, userId: 'troll' });
  assert.equal(await upgradeStatus(rig.server, bannedToken.token!), 403);
  // A used token is refused like a bad one (auth).
  const usedOnce = await chatToken(control(), roomA, 'twice');
  const first = await RawClient.open(rig.server, usedOnce.token!);
  assert.equal(await upgradeStatus(rig.server, usedOnce.token!), 401);
  first.ws.close();

  one.ws.close();
  two.ws.close();
  await waitFor('both connections gone', async () => ((await scrape(endpoint())).value('parlor_chat_connections') === before.value('parlor_chat_connections') ? true : undefined));
  const end = await scrape(endpoint());
  const refused = (reason: string) => end.value('parlor_chat_connections_refused_total', { reason }) - before.value('parlor_chat_connections_refused_total', { reason });
  assert.deepEqual(
    { handshake: refused('handshake'), auth: refused('auth'), room_not_found: refused('room_not_found'), banned: refused('banned'), per_ip: refused('per_ip') },
    { handshake: 1, auth: 2, room_not_found: 1, banned: 1, per_ip: 0 },
  );
  assert.equal(end.value('parlor_chat_rooms'), before.value('parlor_chat_rooms'));
  for (const reason of ['shutting_down', 'max_connections', 'abandoned', 'error']) assert.ok(end.has('parlor_chat_connections_refused_total', { reason }), `${reason} is exported at 0 too`);
});

test('connections: refused by the per-address and the node caps', async () => {
  // Addresses come from X-Forwarded-For (the loopback is a trusted proxy), so one machine is many clients.
  const server = await startTestServer({ maxConnections: 2, maxConnectionsPerIp: 1, trustedProxies: ['127.0.0.0/8'] });
  const sockets: WebSocket[] = [];
  try {
    const roomArn = (await server.client().send(new CreateRoomCommand({}))).arn!;
    const open = async (address: string): Promise<number> => {
      const token = (await chatToken(server.client(), roomArn, `u-${sockets.length}`)).token!;
      const ws = new WebSocket(server.parlor.chatUrl, token, { headers: { 'x-forwarded-for': address } });
      sockets.push(ws);
      return new Promise((resolve, reject) => {
        ws.on('open', () => resolve(101));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', (err) => {
          if (!/Unexpected server response/.test(err.message)) reject(err);
        });
      });
    };
    assert.equal(await open('198.51.100.1'), 101);
    assert.equal(await open('198.51.100.1'), 503);
    assert.equal(await open('198.51.100.2'), 101);
    assert.equal(await open('198.51.100.3'), 503);
    const scraped = await scrape(server.parlor.endpoint);
    assert.equal(scraped.value('parlor_chat_connections_refused_total', { reason: 'per_ip' }), 1);
    assert.equal(scraped.value('parlor_chat_connections_refused_total', { reason: 'max_connections' }), 1);
    assert.equal(scraped.value('parlor_chat_refused_per_ip_total'), 1);
    assert.equal(scraped.value('parlor_chat_connections_opened_total'), 2);
    assert.equal(scraped.value('parlor_chat_connections'), 2);
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  }
});

test('control plane: requests by operation and status, with a latency histogram', async () => {
  const before = await scrape(endpoint());
  const arn = await createRoom();
  await control().send(new GetRoomCommand({ identifier: arn }));
  await assert.rejects(control().send(new GetRoomCommand({ identifier: `${arn}x` })), { name: 'ResourceNotFoundException' });
  await assert.rejects(control().send(new CreateRoomCommand({ maximumMessageLength: 0 })), { name: 'ValidationException' });
  const unknown = await fetch(`${endpoint()}/NoSuchOperation`, { method: 'POST', body: '{}' });
  await unknown.arrayBuffer();
  const moved = delta(before, await scrape(endpoint()));
  const requests = (operation: string, status: string) => moved('parlor_control_plane_requests_total', { operation, status });
  assert.equal(requests('CreateRoom', '200'), 1);
  assert.equal(requests('CreateRoom', '400'), 1);
  assert.equal(requests('GetRoom', '200'), 1);
  assert.equal(requests('GetRoom', '404'), 1);
  assert.equal(requests('unknown', String(unknown.status)), 1);
  assert.equal(moved('parlor_control_plane_request_duration_seconds_count', { operation: 'CreateRoom' }), 2);
  assert.equal(moved('parlor_control_plane_request_duration_seconds_count', { operation: 'GetRoom' }), 2);
  assert.ok(moved('parlor_control_plane_request_duration_seconds_sum', { operation: 'GetRoom' }) > 0);
});

test('node info and event-loop lag are exported; every parlor_ metric is documented', async () => {
  const scraped = await scrape(endpoint());
  assert.equal(scraped.value('parlor_node_info', { node: rig.server.parlor.nodeId, mode: 'embedded' }), 1);
  for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'process_resident_memory_bytes']) assert.ok(scraped.names.has(name), name);
  for (const name of ['parlor_chat_log_spool_bytes', 'parlor_reviews_total', 'parlor_presence_rooms']) assert.ok(scraped.names.has(name), name);
  assertDocumented(scraped);
});

test('every parlor_ metric name in the source is documented (also those only some configurations register)', () => {
  const docs = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  const root = new URL('../../src', import.meta.url).pathname;
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  const names = new Set(files.flatMap((f) => [...readFileSync(join(root, f), 'utf8').matchAll(/'(parlor_[a-z_]+)'/g)].map((m) => m[1]!)));
  assert.ok(names.has('parlor_chat_messages_total') && names.has('parlor_cluster_round_trip_seconds'), 'the scan finds metric names');
  assert.deepEqual([...names].filter((n) => !docs.includes(`\`${n}\``)), []);
});
