/**
 * The handshake is checked before the chat token is redeemed: malformed upgrades (bad version,
 * missing key, POST, a broken sub-protocol list) and a client that resets while its admission
 * is in progress leave the token usable for the client's next, correct try.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { ChatService } from '../../src/chat/chat-service.js';
import { NO_CHAT_LOG } from '../../src/chat-log/chat-logger.js';
import type { Room } from '../../src/domain/room.js';
import { LocalFanOut } from '../../src/fan-out/local-fan-out.js';
import { AwaitedAnswers } from '../../src/lib/awaited-answers.js';
import { TurnEnd } from '../../src/lib/turn-end.js';
import { ChatTokenCodec } from '../../src/protocol/chat-token-codec.js';
import { MemoryPresence } from '../../src/presence/memory-presence.js';
import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { encodeTextFrame } from '../../src/server/ws-frame.js';
import { WsGateway } from '../../src/server/ws-gateway.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SAMPLE_ROOM } from '../helpers/room-fixture.js';
import { chatFixture, chatToken, createRoom, upgradeStatus, waitFor } from '../helpers/chat.js';

const fx = chatFixture();

/** Sends `request` on a raw socket; resolves to the status line's code. */
function rawUpgrade(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8').on('data', (c: string) => {
      text += c;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.once('error', reject);
  });
}

function upgradeRequest(token: string, overrides: { method?: string; version?: string | null; key?: string | null; protocol?: string } = {}): string {
  const lines = [`${overrides.method ?? 'GET'} / HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: Upgrade', 'Upgrade: websocket'];
  const key = overrides.key === undefined ? 'dGhlIHNhbXBsZSBub25jZQ==' : overrides.key;
  if (key !== null) lines.push(`Sec-WebSocket-Key: ${key}`);
  const version = overrides.version === undefined ? '13' : overrides.version;
  if (version !== null) lines.push(`Sec-WebSocket-Version: ${version}`);
  lines.push(`Sec-WebSocket-Protocol: ${overrides.protocol ?? token}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

test('malformed upgrades are refused 400/405 and leave the token usable', async () => {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk);
  const token = (await chatToken(sdk, roomArn, 'u')).token!;
  const port = fx.server.parlor.port;
  assert.equal(await rawUpgrade(port, upgradeRequest(token, { version: '12' })), 400, 'Sec-WebSocket-Version: 12');
  assert.equal(await rawUpgrade(port, upgradeRequest(token, { version: null })), 400, 'no version');
  assert.equal(await rawUpgrade(port, upgradeRequest(token, { key: null })), 400, 'no key');
  assert.equal(await rawUpgrade(port, upgradeRequest(token, { key: 'short' })), 400, 'bad key');
  assert.equal(await rawUpgrade(port, upgradeRequest(token, { method: 'POST' })), 405, 'POST');
  assert.equal(await rawUpgrade(port, upgradeRequest(token, { protocol: `${token}, ${token}` })), 400, 'duplicate sub-protocols');
  assert.equal(await upgradeStatus(fx.server, token), 101, 'the token still opens the connection');
  assert.equal(await upgradeStatus(fx.server, token), 401, 'and only once');
});

test('a client that resets while its admission is in progress does not use up its token', async () => {
  const room: Room = SAMPLE_ROOM;
  const tokens = new ChatTokenCodec(randomBytes(32));
  const store = new SqliteStore(':memory:');
  // A slow store read (as across a network): the window in which the client resets.
  let lookups = 0;
  let answered = 0;
  const chat = new ChatService({
    fanOut: new LocalFanOut(),
    rateLimiter: new MemoryRateLimiter(),
    review: undefined,
    chatLog: NO_CHAT_LOG,
    encode: encodeTextFrame,
    now: Date.now,
    log: { error: () => {} },
    tokens,
    getRoom: async () => {
      lookups++;
      await new Promise((r) => setTimeout(r, 300));
      answered++;
      return room;
    },
    usedTokens: store,
    bans: { getBan: async () => undefined, forgetExpiredBans: async () => 0 },
    presence: new MemoryPresence(),
  });
  const gateway = new WsGateway({ chat, maxConnections: 10, log: { error: () => {} }, turnEnd: new TurnEnd(), answers: new AwaitedAnswers() });
  const http = createServer();
  http.on('upgrade', gateway.onUpgrade);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  after(async () => {
    await gateway.close(100);
    http.close();
    await store.close();
  });
  const port = (http.address() as AddressInfo).port;
  const token = tokens.encode({ tokenId: 't1', roomArn: room.arn, userId: 'u', capabilities: [], attributes: {}, tokenExpiresAt: Date.now() + 60_000, sessionExpiresAt: Date.now() + 60_000 });
  const socket = connect(port, '127.0.0.1', () => socket.write(upgradeRequest(token)));
  await waitFor('admission in progress', () => (lookups === 1 ? true : undefined));
  socket.resetAndDestroy();
  await waitFor('the admission to get past its store read', () => (answered === 1 ? true : undefined));
  assert.equal(await rawUpgrade(port, upgradeRequest(token)), 101, 'the token was not redeemed by the abandoned upgrade');
  assert.equal(await rawUpgrade(port, upgradeRequest(token)), 401, 'the successful one did redeem it');
});
