/** The chat core without a transport: fake connections, the in-memory ports. */
import { HistoryWriter } from '../../src/history/history-writer.js';
import { SqliteMessageHistory } from '../../src/history/sqlite-message-history.js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ChatService } from '../../src/chat/chat-service.js';
import { NO_CHAT_LOG } from '../../src/chat-log/chat-logger.js';
import type { Room } from '../../src/domain/room.js';
import { LocalFanOut } from '../../src/fan-out/local-fan-out.js';
import { ChatTokenCodec } from '../../src/protocol/chat-token-codec.js';
import { MemoryPresence } from '../../src/presence/memory-presence.js';
import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SAMPLE_ROOM } from '../helpers/room-fixture.js';
import { FakeConnection } from '../helpers/fake-connection.js';

const ROOM: Room = SAMPLE_ROOM;

/** An in-memory SQLite store whose used-token calls are recorded. */
function recordingLedger() {
  const store = new SqliteStore(':memory:');
  const calls: string[] = [];
  return {
    calls,
    async redeemChatToken(tokenId: string, expiresAt: number) {
      calls.push(`redeem ${tokenId} ${expiresAt}`);
      return store.redeemChatToken(tokenId, expiresAt);
    },
    async forgetExpiredChatTokens(now: number) {
      calls.push(`forget ${now}`);
      return store.forgetExpiredChatTokens(now);
    },
  };
}

/** The loopback fan-out, recording joins and leaves; a join resolves only when the test says so. */
class GatedFanOut extends LocalFanOut {
  readonly calls: string[] = [];
  #gate: Promise<void> = Promise.resolve();
  #openGate: () => void = () => {};
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#openGate = resolve));
  }
  release(): void {
    this.#openGate();
  }
  override async join(roomArn: string): Promise<void> {
    this.calls.push(`join ${roomArn}`);
    await super.join(roomArn);
    await this.#gate;
  }
  override async leave(roomArn: string): Promise<void> {
    this.calls.push(`leave ${roomArn}`);
    await super.leave(roomArn);
  }
}

function service(rooms: () => Room | undefined) {
  let now = 1_000_000;
  const tokens = new ChatTokenCodec(randomBytes(32));
  const ledger = recordingLedger();
  const fanOut = new GatedFanOut();
  const chat = new ChatService({
    fanOut,
    rateLimiter: new MemoryRateLimiter(() => now),
    review: undefined,
    chatLog: NO_CHAT_LOG,
    history: new HistoryWriter(new SqliteMessageHistory(':memory:'), { error: () => {} }),
    encode: (json) => Buffer.from(json),
    now: () => now,
    log: { error: () => {} },
    tokens,
    getRoom: async () => rooms(),
    usedTokens: ledger,
    bans: { getBan: async () => undefined, forgetExpiredBans: async () => 0 },
    presence: new MemoryPresence(),
  });
  const token = (userId: string) =>
    tokens.encode({ tokenId: userId, roomArn: ROOM.arn, userId, capabilities: ['SEND_MESSAGE'], attributes: {}, tokenExpiresAt: now + 60_000, sessionExpiresAt: now + 60_000 });
  return { chat, token, ledger, tokens, fanOut, advance: (ms: number) => (now += ms) };
}

test('a room deleted between admission and joining is caught: ERROR 404 and close 4004', async () => {
  let room: Room | undefined = ROOM;
  const { chat, token } = service(() => room);
  const admission = await chat.admit(token('late'));
  assert.equal(admission.kind, 'ok');
  room = undefined; // deleted now; its room-deleted envelope went out before this node joined
  const connection = new FakeConnection();
  chat.open(admission as typeof admission & { kind: 'ok' }, connection);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(connection.frames.map((f) => f['ErrorCode']), [404]);
  assert.equal(connection.closedWith, 4004);
});

test('an UpdateRoom reaching the core applies to the next message; the session ends at its expiry', async () => {
  const { chat, token, advance } = service(() => ROOM);
  const admission = await chat.admit(token('u'));
  const connection = new FakeConnection();
  const session = chat.open(admission as typeof admission & { kind: 'ok' }, connection);
  chat.changes.roomUpdated({ ...ROOM, updateTime: 2, maximumMessageLength: 3 });
  chat.receive(session, JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: 'x', Content: 'four' }));
  assert.deepEqual(connection.frames.map((f) => [f['Type'], f['ErrorCode']]), [['ERROR', 400]]);
  advance(59_000);
  chat.tick();
  assert.equal(connection.closedWith, undefined);
  advance(2_000);
  chat.tick();
  assert.equal(connection.frames.at(-1)!['ErrorCode'], 401);
  assert.equal(connection.closedWith, 4001);
});

test('admit redeems through the store only once signature, expiry and room passed; a reuse is 401', async () => {
  let room: Room | undefined = undefined;
  const { chat, token, ledger, tokens, advance } = service(() => room);
  const forged = token('f').replace(/\.[^.]*$/, '.' + 'A'.repeat(43));
  assert.deepEqual(await chat.admit(forged), { kind: 'refused', status: 401, message: 'Invalid chat token' });
  assert.equal((await chat.admit(token('orphan'))).kind, 'refused', 'no room: 404');
  const expiring = token('late');
  advance(60_000);
  assert.equal((await chat.admit(expiring)).kind, 'refused', 'expired');
  assert.deepEqual(ledger.calls, [], 'nothing redeemed for refused tokens');

  room = ROOM;
  const good = token('good');
  const expiresAt = tokens.decode(good)!.tokenExpiresAt;
  assert.equal((await chat.admit(good)).kind, 'ok');
  assert.deepEqual(await chat.admit(good), { kind: 'refused', status: 401, message: 'The chat token was already used' });
  assert.deepEqual(ledger.calls, [`redeem good ${expiresAt}`, `redeem good ${expiresAt}`]);
});

test('the tick has the store forget expired token ids, with the tick\'s time; stop waits for it', async () => {
  const { chat, ledger, advance } = service(() => ROOM);
  const now = advance(5);
  chat.tick();
  chat.tick(); // the first sweep is still in flight: it is not started twice
  await chat.stop();
  assert.deepEqual(ledger.calls, [`forget ${now}`]);
});

test('admission waits for the room\'s join; refused or abandoned admissions let the room go', async () => {
  const { chat, token, fanOut } = service(() => ROOM);
  fanOut.hold();
  let admitted = false;
  const pending = chat.admit(token('first')).then((a) => ((admitted = true), a));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(admitted, false, 'not admitted before the join is live');
  const second = chat.admit(token('second'));
  fanOut.release();
  const [a1, a2] = await Promise.all([pending, second]);
  assert.equal(a1.kind, 'ok');
  assert.equal(a2.kind, 'ok');
  assert.deepEqual(fanOut.calls, [`join ${ROOM.arn}`], 'one join for both admissions');

  chat.release(a1 as typeof a1 & { kind: 'ok' });
  assert.deepEqual(fanOut.calls, [`join ${ROOM.arn}`], 'the second admission still holds the room');
  const connection = new FakeConnection();
  const session = chat.open(a2 as typeof a2 & { kind: 'ok' }, connection);
  chat.release(a2 as typeof a2 & { kind: 'ok' });
  assert.deepEqual(fanOut.calls, [`join ${ROOM.arn}`], 'release after open changes nothing');
  chat.closed(session);
  assert.deepEqual(fanOut.calls, [`join ${ROOM.arn}`, `leave ${ROOM.arn}`], 'the last session gone: the room is left');

  const used = token('used');
  const ok = await chat.admit(used);
  assert.equal(ok.kind, 'ok');
  assert.equal((await chat.admit(used)).kind, 'refused');
  chat.release(ok as typeof ok & { kind: 'ok' });
  assert.deepEqual(fanOut.calls.slice(2), [`join ${ROOM.arn}`, `leave ${ROOM.arn}`], 'a refused reuse did not keep the room either');
});
