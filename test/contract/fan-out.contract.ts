/**
 * The fan-out contract, run against every implementation (each gets its own *.test.ts that
 * calls `fanOutContract`). A cluster implementation runs it with two instances as two nodes
 * on one bus; the loopback passes the same instance twice (one node).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliverEnvelope, Envelope, NodeEnvelope, RoomEnvelope } from '../../src/domain/envelope.js';
import type { Room } from '../../src/domain/room.js';
import type { FanOut } from '../../src/fan-out/fan-out.js';

export interface FanOutNodes {
  readonly a: FanOut;
  readonly b: FanOut;
  close(): Promise<void>;
}

const deliver = (roomArn: string, frame: string): DeliverEnvelope => ({ kind: 'deliver', roomArn, frame });

const ROOM: Room = {
  arn: 'r',
  id: 'r',
  accountId: '123456789012',
  region: 'us-east-1',
  name: '',
  createTime: 1,
  updateTime: 2,
  maximumMessageRatePerSecond: 5,
  maximumMessageLength: 50,
  messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:f', fallbackResult: 'DENY' },
  tags: { 'parlor:slow-mode': '5' },
  loggingConfigurationIdentifiers: ['arn:aws:ivschat:us-east-1:123456789012:logging-configuration/abc'],
};

/** Resolves once `received` holds `n` items; rejects after 10 s. Polls: no timing assumptions. */
async function until(received: readonly unknown[], n: number, what = 'envelopes'): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (received.length < n) {
    if (Date.now() > deadline) throw new Error(`got ${received.length} of ${n} ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The two nodes, each with its handler recording what it received (one list when a === b). */
function recording(nodes: FanOutNodes): { gotA: Envelope[]; gotB: Envelope[] } {
  const gotA: Envelope[] = [];
  const gotB = nodes.a === nodes.b ? gotA : [];
  nodes.a.open((e) => gotA.push(e));
  if (nodes.b !== nodes.a) nodes.b.open((e) => gotB.push(e));
  return { gotA, gotB };
}

/**
 * Publishes a marker from `from` into `room` and waits until `got` holds it: every envelope
 * `from` published before has then arrived too (publish order), so counting is exact.
 */
async function settle(from: FanOut, got: Envelope[], room: string): Promise<Envelope[]> {
  const marker = deliver(room, `marker-${Math.random()}`);
  await from.publish(marker);
  const deadline = Date.now() + 10_000;
  while (!got.some((e) => e.kind === 'deliver' && e.frame === marker.frame)) {
    if (Date.now() > deadline) throw new Error('the marker never arrived');
    await new Promise((r) => setTimeout(r, 2));
  }
  return got.filter((e) => !(e.kind === 'deliver' && e.frame.startsWith('marker-')));
}

export function fanOutContract(name: string, create: () => Promise<FanOutNodes>): void {
  test(`${name}: an envelope published on A reaches A and B once each, in publish order`, async () => {
    const nodes = await create();
    try {
      const { gotA, gotB } = recording(nodes);
      await nodes.a.join('room-1');
      await nodes.b.join('room-1');
      await nodes.b.join('room-1');
      const sent = Array.from({ length: 200 }, (_, i) => deliver('room-1', String(i)));
      for (const e of sent) await nodes.a.publish(e);
      assert.equal(gotA.length >= sent.length, true, 'the publishing node applied them before publish resolved');
      assert.deepEqual(await settle(nodes.a, gotB, 'room-1'), sent);
      if (nodes.a !== nodes.b) assert.deepEqual(await settle(nodes.a, gotA, 'room-1'), sent, 'A once each, not again from the bus');
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: join resolves once the room is live — nothing published right after is missed`, async () => {
    const nodes = await create();
    try {
      const { gotB } = recording(nodes);
      const rooms = Array.from({ length: 20 }, (_, i) => `fresh-${i}`);
      for (const room of rooms) {
        await nodes.b.join(room);
        await nodes.a.publish(deliver(room, room));
      }
      await until(gotB, rooms.length);
      assert.deepEqual(gotB.map((e) => (e.kind === 'deliver' ? e.frame : e.kind)), rooms);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: rooms never joined, or left, receive nothing`, async () => {
    const nodes = await create();
    try {
      const { gotB } = recording(nodes);
      await nodes.b.join('kept');
      await nodes.b.join('left');
      await nodes.b.leave('left');
      await nodes.a.publish(deliver('never-joined', 'x'));
      await nodes.a.publish(deliver('left', 'x'));
      assert.deepEqual(await settle(nodes.a, gotB, 'kept'), []);
      await nodes.b.join('left');
      await nodes.a.publish(deliver('left', 'again'));
      assert.deepEqual(await settle(nodes.a, gotB, 'kept'), [deliver('left', 'again')], 'joining again receives again');
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: every kind arrives intact, node-wide ones on every node whatever it joined`, async () => {
    const nodes = await create();
    try {
      const { gotA, gotB } = recording(nodes);
      await nodes.b.join('r');
      const configuration = {
        arn: 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/abc',
        id: 'abc',
        accountId: '123456789012',
        region: 'us-east-1',
        name: 'logs',
        createTime: 1,
        updateTime: 3,
        destinationConfiguration: { s3: { bucketName: 'b' } },
        state: 'ACTIVE' as const,
        tags: {},
      };
      const roomKinds: RoomEnvelope[] = [
        { kind: 'deliver', roomArn: 'r', frame: 'f' },
        { kind: 'disconnect-user', roomArn: 'r', userId: 'u', frame: 'f' },
      ];
      const nodeKinds: NodeEnvelope[] = [
        { kind: 'room-updated', roomArn: 'r', room: ROOM },
        { kind: 'room-deleted', roomArn: 'r', room: ROOM, frame: 'gone' },
        { kind: 'room-updated', roomArn: 'elsewhere', room: { ...ROOM, arn: 'elsewhere', messageReviewHandler: undefined } },
        { kind: 'room-deleted', roomArn: 'elsewhere', room: { ...ROOM, arn: 'elsewhere' }, frame: 'gone' },
        { kind: 'logging-configuration-updated', configuration },
        { kind: 'logging-configuration-deleted', configuration },
        { kind: 'bans-changed', roomArn: 'elsewhere', userId: 'u' },
      ];
      for (const e of roomKinds) await nodes.a.publish(e);
      for (const e of nodeKinds) await nodes.a.publishToAllNodes(e);
      assert.deepEqual(JSON.parse(JSON.stringify(await settle(nodes.a, gotB, 'r'))), JSON.parse(JSON.stringify([...roomKinds, ...nodeKinds])));
      if (nodes.a !== nodes.b) {
        assert.deepEqual(gotA, nodeKinds, 'A, which joined nothing, applied only the node-wide ones, once');
        await nodes.b.publishToAllNodes(nodeKinds[6]!);
        await until(gotA, nodeKinds.length + 1);
        assert.deepEqual(gotA.at(-1), nodeKinds[6], 'node-wide from B reaches A');
      }
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: after close, publish rejects`, async () => {
    const nodes = await create();
    nodes.a.open(() => {});
    if (nodes.b !== nodes.a) nodes.b.open(() => {});
    await nodes.close();
    await assert.rejects(nodes.a.publish(deliver('r', 'late')));
    await assert.rejects(nodes.a.publishToAllNodes({ kind: 'bans-changed', roomArn: 'r', userId: 'u' }));
  });
}
