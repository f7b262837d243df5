/**
 * The presence port's contract (src/presence/presence.ts), run on every implementation with two
 * instances as two nodes of one cluster (memory: two nodes on one board; Redis: two instances
 * on one key prefix). Each test gets fresh nodes and a fresh room.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Presence } from '../../src/presence/presence.js';

export interface PresenceNodes {
  readonly a: Presence;
  readonly b: Presence;
  close(): Promise<void>;
}

export function presenceContract(name: string, open: () => Promise<PresenceNodes>): void {
  describe(`Presence contract: ${name}`, () => {
    let nodes: PresenceNodes;
    let room: string;
    beforeEach(async () => {
      nodes = await open();
      room = `arn:aws:ivschat:us-east-1:123456789012:room/${randomUUID()}`;
    });
    afterEach(() => nodes.close());

    test('counts users and connections; attributes of the latest connection, time of the earliest', async () => {
      const { a } = nodes;
      assert.equal(await a.arrive(room, 'u2', { name: 'two' }, 2000), 'first');
      assert.equal(await a.arrive(room, 'u1', { name: 'old' }, 1000), 'first');
      assert.equal(await a.arrive(room, 'u1', { name: 'new' }, 3000), 'more');
      assert.deepEqual(await a.list(room), {
        users: [
          { userId: 'u1', attributes: { name: 'new' }, connections: 2, connectTime: 1000 },
          { userId: 'u2', attributes: { name: 'two' }, connections: 1, connectTime: 2000 },
        ],
        totalUsers: 2,
        totalConnections: 3,
      });
      assert.deepEqual(await a.list(`${room}-other`), { users: [], totalUsers: 0, totalConnections: 0 });
    });

    test('only the last connection departs the user; a return cancels the pending departure', async () => {
      const { a } = nodes;
      await a.arrive(room, 'u', {}, 1000);
      await a.arrive(room, 'u', {}, 1001);
      assert.equal(await a.depart(room, 'u'), false);
      assert.equal((await a.list(room)).totalConnections, 1);
      assert.equal(await a.depart(room, 'u'), true);
      assert.deepEqual(await a.list(room), { users: [], totalUsers: 0, totalConnections: 0 });
      assert.equal(await a.arrive(room, 'u', {}, 1002), 'returned');
      assert.equal(await a.confirmDeparture(room, 'u'), false, 'the return won');
      assert.equal(await a.depart(room, 'u'), true);
      assert.equal(await a.confirmDeparture(room, 'u'), true);
      assert.equal(await a.confirmDeparture(room, 'u'), false, 'confirmed once');
      assert.equal(await a.arrive(room, 'u', {}, 1003), 'first', 'after a confirmed departure, an arrival is a first');
    });

    test('two nodes: one user on both is one user; the last departure anywhere departs', async () => {
      const { a, b } = nodes;
      assert.equal(await a.arrive(room, 'u', { on: 'a' }, 1000), 'first');
      assert.equal(await b.arrive(room, 'u', { on: 'b' }, 2000), 'more');
      assert.equal(await b.arrive(room, 'v', {}, 2500), 'first');
      for (const node of [a, b]) {
        const seen = await node.list(room);
        assert.equal(seen.totalUsers, 2);
        assert.equal(seen.totalConnections, 3);
        assert.equal(seen.users[0]!.connections, 2);
        assert.equal(seen.users[0]!.connectTime, 1000);
      }
      assert.equal(await a.depart(room, 'u'), false, 'still on b');
      assert.equal(await b.depart(room, 'u'), true);
      assert.equal(await a.arrive(room, 'u', {}, 3000), 'returned', 'a departure on b is returned from on a');
    });

    test('a closed node withdraws its entries', async () => {
      const { a, b } = nodes;
      await a.arrive(room, 'u', {}, 1000);
      await b.arrive(room, 'w', {}, 1000);
      assert.deepEqual([...a.localAudienceSizes()], [1]);
      await a.close();
      assert.deepEqual((await b.list(room)).users.map((u) => u.userId), ['w']);
    });

    test('many arrivals and departures at once keep exact counts', async () => {
      const { a, b } = nodes;
      const users = Array.from({ length: 200 }, (_, i) => `user-${String(i).padStart(3, '0')}`);
      const arrivals = await Promise.all(users.flatMap((u, i) => [a.arrive(room, u, {}, i), b.arrive(room, u, {}, i)]));
      assert.equal(arrivals.filter((x) => x === 'first').length, 200, 'one first per user across the two nodes');
      assert.equal((await a.list(room)).totalConnections, 400);
      const departures = await Promise.all(users.flatMap((u) => [a.depart(room, u), b.depart(room, u)]));
      assert.equal(departures.filter(Boolean).length, 200, 'one last departure per user');
      assert.equal((await b.list(room)).totalUsers, 0);
    });
  });
}
