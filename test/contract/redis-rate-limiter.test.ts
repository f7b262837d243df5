/** The rate-limiter contract on Redis: two limiters as two nodes on the machine's Redis, real time (Redis's clock). */
import { RedisRateLimiter } from '../../src/rate-limit/redis-rate-limiter.js';
import { forgetCluster, recordingLog, REDIS_URL, uniqueClusterName } from '../helpers/redis.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

rateLimiterContract('RedisRateLimiter', async () => {
  const clusterName = uniqueClusterName('rate');
  const a = new RedisRateLimiter({ url: REDIS_URL, clusterName, nodeId: 'a', log: recordingLog() });
  const b = new RedisRateLimiter({ url: REDIS_URL, clusterName, nodeId: 'b', log: recordingLog() });
  const deadline = Date.now() + 10_000;
  while (!(a.isUp() && b.isUp())) {
    if (Date.now() > deadline) throw new Error(`Redis at ${REDIS_URL} is not reachable`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    a,
    b,
    now: () => Date.now(),
    // Redis rounds its clock to the millisecond: a little more than asked.
    advance: (ms) => new Promise((r) => setTimeout(r, ms + 5)),
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      await forgetCluster(clusterName);
    },
  };
});
