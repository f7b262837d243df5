/**
 * Replay against a slow history read (as a network store can be): messages delivered while a
 * new session's read is in flight are held, and those the read also returned go out once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ChatService } from '../../src/chat/chat-service.js';
import type { ChatConnection, WireFrame } from '../../src/chat/connection.js';
import { NO_CHAT_LOG } from '../../src/chat-log/chat-logger.js';
import type { Room } from '../../src/domain/room.js';
import { LocalFanOut } from '../../src/fan-out/local-fan-out.js';
import { MemoryPresence } from '../../src/presence/memory-presence.js';
import { HistoryWriter } from '../../src/history/history-writer.js';
import type { HistoryOp, KeptEntry, MessageHistory } from '../../src/history/message-history.js';
import { SqliteMessageHistory } from '../../src/history/sqlite-message-history.js';
import { ChatTokenCodec } from '../../src/protocol/chat-token-codec.js';
import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { waitFor } from '../helpers/chat.js';

class FakeConnection implements ChatConnection {
  readonly ip = '192.0.2.1';
  readonly frames: Record<string, unknown>[] = [];
  send(frame: WireFrame): void {
    this.frames.push(JSON.parse(Buffer.from(frame).toString('utf8')) as Record<string, unknown>);
  }
  close(): void {}
}

/** SQLite history whose reads wait for `release()` while armed. */
class GatedHistory implements MessageHistory {
  readonly #inner = new SqliteMessageHistory(':memory:');
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  reading = false;
  arm(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  release(): void {
    this.#open?.();
    this.#gate = undefined;
  }
  apply(ops: readonly HistoryOp[]): Promise<void> {
    return this.#inner.apply(ops);
  }
  async newest(roomArn: string, limit: number, beforeSeq?: number): Promise<KeptEntry[]> {
    this.reading = true;
    await this.#gate;
    return this.#inner.newest(roomArn, limit, beforeSeq);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

const ROOM: Room = {
  arn: 'arn:aws:ivschat:us-east-1:123456789012:room/ReplayRoom01',
  id: 'ReplayRoom01',
  accountId: '123456789012',
  region: 'us-east-1',
  name: '',
  createTime: 1,
  updateTime: 1,
  maximumMessageRatePerSecond: 100,
  maximumMessageLength: 500,
  messageReviewHandler: undefined,
  tags: { 'parlor:history': '10', 'parlor:replay': '10' },
  loggingConfigurationIdentifiers: [],
};

test('a message delivered during the history read and also returned by it reaches the new session once', async () => {
  const history = new GatedHistory();
  const writer = new HistoryWriter(history, { error: () => {} }, 1);
  const tokens = new ChatTokenCodec(randomBytes(32));
  const store = new SqliteStore(':memory:');
  const chat = new ChatService({
    fanOut: new LocalFanOut(),
    rateLimiter: new MemoryRateLimiter(),
    review: undefined,
    chatLog: NO_CHAT_LOG,
    history: writer,
    encode: (json) => Buffer.from(json),
    now: Date.now,
    log: { error: () => {} },
    tokens,
    getRoom: async () => ROOM,
    usedTokens: store,
    bans: { getBan: async () => undefined, forgetExpiredBans: async () => 0 },
    presence: new MemoryPresence(),
  });
  const open = async (userId: string) => {
    const token = tokens.encode({ tokenId: userId, roomArn: ROOM.arn, userId, capabilities: ['SEND_MESSAGE'], attributes: {}, tokenExpiresAt: Date.now() + 60_000, sessionExpiresAt: Date.now() + 60_000 });
    const admission = await chat.admit(token);
    assert.equal(admission.kind, 'ok');
    const connection = new FakeConnection();
    return { connection, session: chat.open(admission as typeof admission & { kind: 'ok' }, connection) };
  };
  const contents = (c: FakeConnection) => c.frames.map((f) => (f['Historical'] ? `old:${String(f['Content'])}` : String(f['Content'] ?? f['EventName'])));
  const sender = await open('sender');
  const say = async (content: string) => {
    chat.receive(sender.session, JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: content, Content: content }));
    await waitFor(content, () => (sender.connection.frames.some((f) => f['Content'] === content) ? true : undefined));
  };
  await waitFor('the sender replay', () => (sender.connection.frames.length === 1 ? true : undefined));
  await say('m1');
  await say('m2');

  history.arm();
  const joiner = await open('joiner');
  await waitFor('the read started', () => (history.reading ? true : undefined));
  await say('m3'); // live while the read waits: held for the joiner …
  await writer.flush(); // … and stored before the read happens, so the read returns it too
  assert.deepEqual(joiner.connection.frames, [], 'nothing goes out before the replay');
  history.release();
  await waitFor('the replay', () => (joiner.connection.frames.length >= 4 ? true : undefined));
  await say('m4');
  await waitFor('live m4', () => (joiner.connection.frames.some((f) => f['Content'] === 'm4') ? true : undefined));
  assert.deepEqual(contents(joiner.connection), ['old:m1', 'old:m2', 'old:m3', 'parlor:replay-end', 'm4']);
  await writer.close();
  await store.close();
});
