/**
 * `npm run bench:redis-work -- [--nodes 3] [--messages 2000] [--rate 100]` — Redis work
 * per chat message at the port level, on a private redis-server: `--nodes` fan-outs joined to
 * one room and one rate limiter; each message is what a node does for an accepted
 * SEND_MESSAGE (one room-budget take, one publish). Prints Redis's own counts (INFO
 * commandstats, total_net_input/output_bytes) per message, so they do not depend on how many
 * subscribers each node has.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { RedisFanOut } from '../../src/fan-out/redis-fan-out.js';
import { RedisRateLimiter } from '../../src/rate-limit/redis-rate-limiter.js';
import { PrivateRedis } from '../../test/helpers/private-redis.js';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '3' }, messages: { type: 'string', default: '2000' }, rate: { type: 'string', default: '100' } } });
const nodes = Number(values.nodes);
const messages = Number(values.messages);
const rate = Number(values.rate);
const quiet = { warn() {}, info() {}, error() {} };

async function stats(redis: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of (await redis.info('commandstats')).split('\r\n')) {
    const m = /^cmdstat_(\w+):calls=(\d+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  for (const line of (await redis.info('stats')).split('\r\n')) {
    const m = /^(total_net_input_bytes|total_net_output_bytes):(\d+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

const server = await PrivateRedis.start();
const admin = new Redis(server.url);
const fanOuts = Array.from({ length: nodes }, (_, i) => new RedisFanOut({ url: server.url, clusterName: 'bench', nodeId: `n${i}`, log: quiet }));
const limiter = new RedisRateLimiter({ url: server.url, clusterName: 'bench', nodeId: 'n0', log: quiet });
try {
  let received = 0;
  fanOuts.forEach((f) => f.open(() => received++));
  await Promise.all(fanOuts.map((f) => f.whenUp()));
  await Promise.all(fanOuts.map((f) => f.join('arn:aws:ivschat:us-east-1:123456789012:room/bench')));
  while (!limiter.isUp()) await new Promise((r) => setTimeout(r, 10));
  const frame = JSON.stringify({ Type: 'MESSAGE', Id: 'x'.repeat(12), RequestId: 'r', Content: 'c'.repeat(40), SendTime: new Date().toISOString(), Sender: { UserId: 'user', Attributes: {} }, Attributes: {} });
  const before = await stats(admin);
  for (let i = 0; i < messages; i++) {
    await limiter.take('room-messages:bench', 1_000_000);
    await fanOuts[0]!.publish({ kind: 'deliver', roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/bench', frame });
  }
  const deadline = Date.now() + 30_000;
  while (received < messages * nodes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const after = await stats(admin);
  console.log(`redis-work: ${nodes} nodes joined to one room, ${messages} messages (frame ${frame.length} bytes), ${received} of ${messages * nodes} applied`);
  const per = (key: string): string => (((after.get(key) ?? 0) - (before.get(key) ?? 0)) / messages).toFixed(2);
  for (const key of new Set([...after.keys()].filter((k) => (after.get(k) ?? 0) !== (before.get(k) ?? 0) && k !== 'info'))) console.log(`  ${key}: ${per(key)} per message`);
  console.log(`  at ${rate} msg/s per room: ${(rate * Number(per('publish'))).toFixed(0)} PUBLISH/s and ${(rate * Number(per('evalsha'))).toFixed(0)} EVALSHA/s per room, whatever the number of subscribers`);
} finally {
  await Promise.all(fanOuts.map((f) => f.close()));
  await limiter.close();
  admin.disconnect();
  await server.stop();
}
