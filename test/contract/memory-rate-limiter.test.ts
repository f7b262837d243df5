import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

// One process is one node: both "nodes" are the same limiter, on an injected clock (exact).
rateLimiterContract('MemoryRateLimiter', async () => {
  let now = 1_700_000_000_000;
  const limiter = new MemoryRateLimiter(() => now);
  return {
    a: limiter,
    b: limiter,
    now: () => now,
    advance: async (ms) => {
      now += ms;
    },
    close: () => limiter.close(),
  };
});
