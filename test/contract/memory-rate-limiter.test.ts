import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { rateLimiterContract } from './rate-limiter.contract.js';

rateLimiterContract('MemoryRateLimiter', async () => new MemoryRateLimiter());
