/**
 * The change broadcast, run on every fan-out: a chat core per node (two instances on one bus
 * for a cluster fan-out; the loopback is one node, so one core) and a recording observer on
 * each. A change made through node A's `changes` (UpdateRoom, TagResource, DeleteRoom,
 * UpdateLoggingConfiguration…) reaches every node's observers once, and the room hub of every
 * node holding the room, within 100 ms — without any read of the store per message.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ChatService } from '../../src/chat/chat-service.js';
import { NO_CHAT_LOG } from '../../src/chat-log/chat-logger.js';
import type { ChangeObserver } from '../../src/domain/change-observer.js';
import type { LoggingConfiguration } from '../../src/domain/logging-configuration.js';
import type { Room } from '../../src/domain/room.js';
import { HistoryWriter } from '../../src/history/history-writer.js';
import { SqliteMessageHistory } from '../../src/history/sqlite-message-history.js';
import { MemoryPresence } from '../../src/presence/memory-presence.js';
import { ChatTokenCodec } from '../../src/protocol/chat-token-codec.js';
import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { SAMPLE_ROOM } from '../helpers/room-fixture.js';
import type { FanOutNodes } from './fan-out.contract.js';
import { FakeConnection } from '../helpers/fake-connection.js';

/** The bound the issue sets between a change returning on one node and another node acting on it. */
const WITHIN_MS = 100;

const CONFIGURATION: LoggingConfiguration = {
  arn: 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/LcAbCdEf1234',
  id: 'LcAbCdEf1234',
  accountId: '123456789012',
  region: 'us-east-1',
  name: 'logs',
  createTime: 1,
  updateTime: 1,
  destinationConfiguration: { s3: { bucketName: 'first' } },
  state: 'ACTIVE',
  tags: {},
};

type Call = { readonly call: keyof ChangeObserver; readonly arn: string; readonly at: number; readonly value: Room | LoggingConfiguration };

function recordingObserver(): { calls: Call[]; observer: ChangeObserver } {
  const calls: Call[] = [];
  const at = (call: keyof ChangeObserver) => (value: Room | LoggingConfiguration) => calls.push({ call, arn: value.arn, at: performance.now(), value });
  return {
    calls,
    observer: {
      roomUpdated: at('roomUpdated'),
      roomDeleted: at('roomDeleted'),
      loggingConfigurationUpdated: at('loggingConfigurationUpdated'),
      loggingConfigurationDeleted: at('loggingConfigurationDeleted'),
    },
  };
}

/** A chat core on `fanOut` whose store holds `room()` and counts its reads. */
function chatNode(fanOut: FanOutNodes['a'], tokens: ChatTokenCodec, room: () => Room | undefined) {
  const { calls, observer } = recordingObserver();
  let storeReads = 0;
  const chat = new ChatService({
    fanOut,
    rateLimiter: new MemoryRateLimiter(() => Date.now()),
    review: undefined,
    chatLog: NO_CHAT_LOG,
    history: new HistoryWriter(new SqliteMessageHistory(':memory:'), { error: () => {} }),
    encode: (json) => Buffer.from(json),
    now: () => Date.now(),
    log: { error: () => {} },
    tokens,
    getRoom: async () => {
      storeReads++;
      return room();
    },
    usedTokens: { redeemChatToken: async () => true, forgetExpiredChatTokens: async () => 0 },
    bans: { getBan: async () => undefined, forgetExpiredBans: async () => 0 },
    presence: new MemoryPresence(),
    observers: observer,
  });
  return { chat, calls, storeReads: () => storeReads };
}

async function until<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function changeBroadcastContract(name: string, create: () => Promise<FanOutNodes>): void {
  /** Two chat nodes (one when the fan-out is a loopback) sharing a store that holds `stored`. */
  async function cluster() {
    const nodes = await create();
    const tokens = new ChatTokenCodec(randomBytes(32));
    const state = { stored: { ...SAMPLE_ROOM, arn: `${SAMPLE_ROOM.arn}${randomBytes(3).toString('hex')}` } as Room | undefined };
    const a = chatNode(nodes.a, tokens, () => state.stored);
    const b = nodes.b === nodes.a ? a : chatNode(nodes.b, tokens, () => state.stored);
    /** A session on `node` in the stored room. */
    const session = async (node: typeof a, userId: string) => {
      const room = state.stored!;
      const token = tokens.encode({
        tokenId: randomBytes(8).toString('hex'),
        roomArn: room.arn,
        userId,
        capabilities: ['SEND_MESSAGE'],
        attributes: {},
        tokenExpiresAt: Date.now() + 60_000,
        sessionExpiresAt: Date.now() + 600_000,
      });
      const admission = await node.chat.admit(token);
      assert.equal(admission.kind, 'ok');
      const connection = new FakeConnection();
      const opened = node.chat.open(admission as typeof admission & { kind: 'ok' }, connection);
      await until('the new session to confirm its room', () => (node.storeReads() >= 2 ? true : undefined));
      return { opened, connection };
    };
    return { nodes, a, b, state, session, close: () => nodes.close() };
  }

  test(`${name}: a logging-configuration change on A reaches the observers of every node once, within ${WITHIN_MS} ms`, async (t) => {
    const { a, b, close } = await cluster();
    try {
      const latencies: number[] = [];
      for (let i = 1; i <= 20; i++) {
        const config: LoggingConfiguration = { ...CONFIGURATION, updateTime: 1 + i, destinationConfiguration: { s3: { bucketName: `bucket-${i}` } } };
        const before = b.calls.length;
        const started = performance.now();
        a.chat.changes.loggingConfigurationUpdated(config);
        const seen = await until('the change on B', () => b.calls.slice(before).find((c) => (c.value as LoggingConfiguration).updateTime === config.updateTime));
        latencies.push(seen.at - started);
        assert.deepEqual(seen.value, config, 'the configuration arrives intact');
      }
      a.chat.changes.loggingConfigurationDeleted(CONFIGURATION);
      await until('the deletion on B', () => b.calls.find((c) => c.call === 'loggingConfigurationDeleted'));
      // A marker from A after everything: once B has it, every earlier copy has arrived too (publish order).
      a.chat.changes.roomUpdated({ ...SAMPLE_ROOM, arn: 'marker', updateTime: 99 });
      await until('the marker on B', () => b.calls.find((c) => c.arn === 'marker'));
      if (a !== b) {
        await until('the marker on A', () => a.calls.find((c) => c.arn === 'marker'));
        assert.equal(a.calls.length, b.calls.length, 'A applied its own changes once, not again from the bus');
      }
      assert.deepEqual(
        b.calls.map((c) => c.call),
        [...Array<keyof ChangeObserver>(20).fill('loggingConfigurationUpdated'), 'loggingConfigurationDeleted', 'roomUpdated'],
        'once each, in the order A made them',
      );
      const sorted = [...latencies].sort((x, y) => x - y);
      t.diagnostic(`call on A → B's observer: median ${median(latencies).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms (20 changes)`);
      assert.ok(median(latencies) < WITHIN_MS, `median ${median(latencies).toFixed(1)} ms from the call on A to B's observer`);
    } finally {
      await close();
    }
  });

  test(`${name}: after UpdateRoom (or a tag change) on A, B judges its next message by the new settings within ${WITHIN_MS} ms, reading no store`, async () => {
    const { a, b, state, session, close } = await cluster();
    try {
      const { opened, connection } = await session(b, 'viewer');
      const readsBefore = b.storeReads();
      const updated: Room = { ...state.stored!, updateTime: 5, maximumMessageLength: 3, tags: { 'parlor:slow-mode': '0' } };
      state.stored = updated;
      const started = performance.now();
      a.chat.changes.roomUpdated(updated);
      await until('B to hold the new settings', () => (opened.local.room.maximumMessageLength === 3 ? true : undefined));
      const elapsed = performance.now() - started;
      b.chat.receive(opened, JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: 'long', Content: 'four' }));
      b.chat.receive(opened, JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: 'short', Content: 'ok' }));
      await until('both answers', () => (connection.frames.length >= 2 ? true : undefined));
      assert.deepEqual(
        connection.frames.map((f) => [f['Type'], f['RequestId'], f['ErrorCode']]),
        [
          ['ERROR', 'long', 400],
          ['MESSAGE', 'short', undefined],
        ],
      );
      assert.equal(b.storeReads(), readsBefore, 'no store read on B for the change or the messages');
      assert.deepEqual(b.calls.at(-1)?.call, 'roomUpdated', "B's observers were told too");
      // One sample on a loaded machine: a loose bound here; the first test holds the median to WITHIN_MS.
      assert.ok(elapsed < 1000, `B applied the change ${elapsed.toFixed(1)} ms after the call on A`);
      // An older copy (a slower node's earlier change) never replaces a newer one.
      a.chat.changes.roomUpdated({ ...updated, updateTime: 4, maximumMessageLength: 500 });
      a.chat.changes.roomUpdated({ ...updated, arn: 'marker', updateTime: 99 });
      await until('the marker on B', () => b.calls.find((c) => c.arn === 'marker'));
      assert.equal(opened.local.room.maximumMessageLength, 3);
    } finally {
      await close();
    }
  });

  test(`${name}: DeleteRoom on A ends the room's sessions on B (ERROR 404, close 4004) and tells B's observers`, async () => {
    const { a, b, state, session, close } = await cluster();
    try {
      const { connection } = await session(b, 'viewer');
      const room = state.stored!;
      state.stored = undefined;
      a.chat.changes.roomDeleted(room);
      await until('the close on B', () => connection.closedWith);
      assert.equal(connection.closedWith, 4004);
      assert.deepEqual(connection.frames.map((f) => f['ErrorCode']), [404]);
      const told = await until("B's observer", () => b.calls.find((c) => c.call === 'roomDeleted'));
      assert.equal(told.arn, room.arn);
    } finally {
      await close();
    }
  });
}
