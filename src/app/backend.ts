/**
 * The parts that differ between embedded and cluster mode: where state lives (store), how
 * nodes talk (fan-out), where shared budgets are kept (rate limiter), where the chat-token
 * secret comes from, and which shared services /readyz checks. embedded.ts and cluster.ts
 * each build one; start.ts builds everything else the same way for both.
 */
import type { FanOut } from '../fan-out/fan-out.js';
import type { Presence } from '../presence/presence.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { Store } from '../store/store.js';
import type { Mode } from './config.js';

/** A shared service this node depends on (PostgreSQL, Redis), as /readyz and /metrics see it. */
export interface ServiceProbe {
  /** The key in /readyz `checks` and the `service` label of metrics: `database`, `redis`. */
  readonly name: string;
  /** One round trip; rejects when the service cannot answer. */
  ping(): Promise<void>;
  /** How many times this node reconnected to the service since start. */
  reconnects(): number;
}

export interface Backend {
  readonly mode: Mode;
  readonly store: Store;
  readonly fanOut: FanOut;
  readonly rateLimiter: RateLimiter;
  /** Who is in each room, on every node. */
  readonly presence: Presence;
  /** The key that signs chat tokens (the same on every node of a cluster). */
  readonly tokenSecret: Buffer;
  readonly probes: readonly ServiceProbe[];
  /**
   * How often this node has the store forget expired used-token ids, in ms. The sweep is an
   * idempotent delete of rows past their expiry, so nodes sweeping at once only repeat work
   * (docs/adr/0031-used-token-sweep-on-every-node.md).
   */
  readonly usedTokenSweepMs: number;
  /** How long the shutdown drain spreads the reconnections of this node's chat clients, in ms. */
  readonly drainSpreadMs: number;
  /** Lines for the start banner: what this node uses, passwords masked. */
  readonly banner: readonly string[];
}
