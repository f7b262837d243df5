/**
 * The fan-out contract, run against every implementation (each gets its own *.test.ts that
 * calls `fanOutContract`). A cluster implementation runs it with two instances as two nodes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '../../src/domain/envelope.js';
import type { FanOut } from '../../src/fan-out/fan-out.js';

export interface FanOutNodes {
  /** Two nodes sharing one bus (the loopback gives the same instance twice). */
  readonly a: FanOut;
  readonly b: FanOut;
  close(): Promise<void>;
}

const deliver = (roomArn: string, frame: string): Envelope => ({ kind: 'deliver', roomArn, frame });

/** Resolves once `received` holds `n` items; rejects after 5 s. */
async function until(received: unknown[], n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (received.length < n) {
    if (Date.now() > deadline) throw new Error(`got ${received.length} of ${n} envelopes`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function fanOutContract(name: string, create: () => Promise<FanOutNodes>): void {
  test(`${name}: a published envelope reaches every node that joined the room, once`, async () => {
    const nodes = await create();
    try {
      const gotA: Envelope[] = [];
      const gotB: Envelope[] = [];
      nodes.a.open((e) => gotA.push(e));
      if (nodes.b !== nodes.a) nodes.b.open((e) => gotB.push(e));
      nodes.a.join('room-1');
      nodes.b.join('room-1');
      nodes.b.join('room-1');
      await nodes.a.publish(deliver('room-1', 'one'));
      const expectB = nodes.b === nodes.a ? gotA : gotB;
      await until(gotA, 1);
      await until(expectB, 1);
      assert.deepEqual(gotA, [deliver('room-1', 'one')]);
      assert.deepEqual(expectB, [deliver('room-1', 'one')]);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: rooms not joined (or left) receive nothing`, async () => {
    const nodes = await create();
    try {
      const got: Envelope[] = [];
      nodes.a.open((e) => got.push(e));
      nodes.a.join('kept');
      nodes.a.join('left');
      nodes.a.leave('left');
      await nodes.a.publish(deliver('never-joined', 'x'));
      await nodes.a.publish(deliver('left', 'x'));
      await nodes.a.publish(deliver('kept', 'marker'));
      await until(got, 1);
      assert.deepEqual(got, [deliver('kept', 'marker')]);
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: envelopes of one publisher arrive in publish order, every kind intact`, async () => {
    const nodes = await create();
    try {
      const got: Envelope[] = [];
      nodes.b.open((e) => got.push(e));
      if (nodes.a !== nodes.b) nodes.a.open(() => {});
      nodes.b.join('r');
      const room = { arn: 'r', id: 'r', accountId: '123456789012', region: 'us-east-1', name: '', createTime: 1, updateTime: 2, maximumMessageRatePerSecond: 5, maximumMessageLength: 50, messageReviewHandler: undefined, tags: {}, loggingConfigurationIdentifiers: [] };
      const sent: Envelope[] = [
        ...Array.from({ length: 100 }, (_, i) => deliver('r', String(i))),
        { kind: 'disconnect-user', roomArn: 'r', userId: 'u', frame: 'f' },
        { kind: 'room-updated', roomArn: 'r', room },
        { kind: 'room-deleted', roomArn: 'r', frame: 'gone' },
      ];
      for (const e of sent) await nodes.a.publish(e);
      await until(got, sent.length);
      assert.deepEqual(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(sent)));
    } finally {
      await nodes.close();
    }
  });

  test(`${name}: after close, publish rejects`, async () => {
    const nodes = await create();
    nodes.a.open(() => {});
    await nodes.close();
    await assert.rejects(nodes.a.publish(deliver('r', 'late')));
  });
}
