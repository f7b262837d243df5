/**
 * Remembers redeemed token ids so that a token opens one connection only. An id is kept until
 * its token expires (after that the expiry check refuses it anyway), so memory is bounded by
 * the tokens redeemed within one token lifetime. One node's memory: in a cluster a shared
 * ledger would be needed for the single-use guarantee across nodes.
 */
import type { ChatTokenClaims } from '../domain/chat-token.js';

export class TokenLedger {
  /** token id → token expiry (epoch ms). */
  readonly #used = new Map<string, number>();

  /** Marks the token used; false when it already was. */
  redeem(claims: ChatTokenClaims): boolean {
    if (this.#used.has(claims.tokenId)) return false;
    this.#used.set(claims.tokenId, claims.tokenExpiresAt);
    return true;
  }

  /** Forgets ids whose tokens expired before `now`. */
  sweep(now: number): void {
    for (const [id, expiresAt] of this.#used) if (expiresAt < now) this.#used.delete(id);
  }

  get size(): number {
    return this.#used.size;
  }
}
