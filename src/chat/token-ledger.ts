/**
 * Remembers redeemed token ids so that a token opens one connection only. An id is kept until
 * its token expires (after that the expiry check refuses it anyway), so memory is bounded by
 * the tokens redeemed within one token lifetime, and forgetting costs only the ids due. One
 * node's memory: in a cluster a shared ledger would be needed for the single-use guarantee
 * across nodes.
 */
import type { ChatTokenClaims } from '../domain/chat-token.js';
import { ExpiryWheel } from './expiry-wheel.js';

export class TokenLedger {
  readonly #used = new Set<string>();
  readonly #expiries = new ExpiryWheel<string>();

  /** Marks the token used; false when it already was. */
  redeem(claims: ChatTokenClaims): boolean {
    if (this.#used.has(claims.tokenId)) return false;
    this.#used.add(claims.tokenId);
    this.#expiries.add(claims.tokenId, claims.tokenExpiresAt);
    return true;
  }

  /** Forgets ids whose tokens expired by `now` (epoch ms; up to a second late). */
  sweep(now: number): void {
    for (const id of this.#expiries.due(now)) this.#used.delete(id);
  }

  get size(): number {
    return this.#used.size;
  }
}
