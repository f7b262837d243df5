/**
 * PARLOR_WORKERS=2 in cluster mode, as a process: two official clients on different workers
 * chat through Redis; kill -9 of one worker: the primary starts a new one, that worker's
 * client reconnects by itself (to the surviving worker) and goes on, the other never notices.
 * SIGHUP to the primary reaches every worker; SIGTERM drains them all.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { chatToken, connected, createRoom, officialClient, SendMessageRequest, waitFor } from '../helpers/chat.js';
import { NodeProcess, readyzStatus } from '../helpers/node-process.js';
import { freshDatabase } from '../helpers/postgres.js';
import { forgetCluster, REDIS_URL, uniqueClusterName } from '../helpers/redis.js';

/** The process ids of the primary's workers (its children running main.ts; tsx has an esbuild child too). */
function workerPids(primary: number): number[] {
  const out = execFileSync('ps', ['--ppid', String(primary), '-o', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;

test('two workers: clients on different workers chat; a worker killed is replaced and its client goes on; SIGHUP reaches every worker', { timeout: 180_000 }, async () => {
  const db = await freshDatabase();
  const clusterName = uniqueClusterName('workers');
  const node = await NodeProcess.start({ databaseUrl: db.url, redisUrl: REDIS_URL, clusterName, nodeId: 'w', env: { PARLOR_WORKERS: '2' } });
  const clients: { disconnect(): void }[] = [];
  try {
    const primary = node.cli.child.pid!;
    assert.match(node.cli.stdout(), /cluster mode, 2 workers/);
    const before = workerPids(primary);
    assert.equal(before.length, 2, 'two workers');
    const sdk = node.client(3);
    const roomArn = await createRoom(sdk, { maximumMessageRatePerSecond: 100 });
    // Tokens minted first, so the two chat sockets are consecutive connections: the primary
    // hands connections to its workers in turn.
    const made: { room: ReturnType<typeof officialClient>['room']; got: string[]; connects: () => number }[] = [];
    for (const userId of ['one', 'two']) {
      const t = await chatToken(sdk, roomArn, userId, { capabilities: ['SEND_MESSAGE'] });
      const { room } = officialClient({ client: () => node.client(3), parlor: node.parlor }, roomArn, userId, {
        capabilities: ['SEND_MESSAGE'],
        firstToken: { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime },
      });
      clients.push(room);
      const got: string[] = [];
      let connects = 0;
      room.addListener('message', (m) => got.push(m.content));
      room.addListener('connect', () => connects++);
      made.push({ room, got, connects: () => connects });
    }
    await Promise.all(made.map((c) => connected(c.room, 30_000)));
    const [one, two] = made as [(typeof made)[number], (typeof made)[number]];
    await one.room.sendMessage(new SendMessageRequest('hello from one'));
    await waitFor('one → two', () => (two.got.includes('hello from one') ? true : undefined), 30_000);

    // kill -9 one worker: exactly one of the two clients loses its socket (they were on different workers).
    process.kill(before[0]!, 'SIGKILL');
    await waitFor('the worker replaced', () => (/worker \d is serving again/.test(node.cli.stdout()) ? true : undefined), 120_000);
    const dropped = await waitFor('a client reconnected', () => made.find((c) => c.connects() === 2), 60_000);
    const kept = dropped === one ? two : one;
    assert.equal(kept.connects(), 1, 'the client of the other worker kept its socket');
    const after = workerPids(primary);
    assert.equal(after.length, 2, 'two workers again');
    assert.ok(!after.includes(before[0]!), 'a new process');
    await dropped.room.sendMessage(new SendMessageRequest('back again'));
    await waitFor('the reconnected client heard', () => (kept.got.includes('back again') ? true : undefined), 30_000);
    await kept.room.sendMessage(new SendMessageRequest('welcome back'));
    await waitFor('and hears', () => (dropped.got.includes('welcome back') ? true : undefined), 30_000);
    assert.equal(kept.connects(), 1);

    // SIGHUP: passed on to both workers; the primary lives on.
    const hups = count(node.cli.stdout(), 'SIGHUP received');
    node.cli.child.kill('SIGHUP');
    await waitFor('both workers to take the SIGHUP', () => (count(node.cli.stdout(), 'SIGHUP received') >= hups + 2 ? true : undefined), 30_000);
    assert.equal(await readyzStatus(node.parlor.endpoint), 200);

    for (const c of clients) c.disconnect();
    assert.deepEqual(await node.stop('SIGTERM'), { code: 0, signal: null }, 'SIGTERM drains both workers, exit 0');
  } finally {
    for (const c of clients) c.disconnect();
    await node.close();
    await db.drop();
    await forgetCluster(clusterName);
  }
});
