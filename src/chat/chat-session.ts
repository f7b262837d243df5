/**
 * One open chat connection: who it is (the token's claims), where (its room), and its
 * per-connection state. Kept small: there may be tens of thousands.
 */
import type { ChatTokenClaims } from '../domain/chat-token.js';
import type { ClientAction } from '../protocol/chat-frames.js';
import type { TokenBucket } from '../rate-limit/token-bucket.js';
import type { ChatConnection } from './connection.js';
import type { LocalRoom } from './room-hub.js';

/** Requests per second one connection may make (SPEC §2.8's per-connection quota). */
export const CONNECTION_RATE_PER_SECOND = 10;
/** Accepted actions waiting behind a slow one (a review) before more are refused with 429. */
export const MAX_PENDING_ACTIONS = 32;
/**
 * A connection that keeps sending over its budget this long is closed with 1008 (policy
 * violation): a client bursting past the rate for a moment only sees 429s; one that floods is
 * cut off.
 */
export const OVER_BUDGET_CLOSE_MS = 3000;
/**
 * A streak with this many over-budget frames is a flood and is closed at once, without waiting
 * for OVER_BUDGET_CLOSE_MS: no person using a chat client sends 300 frames past the rate.
 */
export const OVER_BUDGET_MAX_FRAMES = 300;
/** A pause this long in over-budget frames ends a streak (the next one starts it anew). */
export const OVER_BUDGET_STREAK_GAP_MS = 1000;

export interface PendingAction {
  readonly action: ClientAction;
  /** Epoch ms when the frame arrived. */
  readonly receivedAt: number;
}

export class ChatSession implements TokenBucket {
  /** The per-connection token bucket (see CONNECTION_RATE_PER_SECOND). */
  tokens = CONNECTION_RATE_PER_SECOND;
  at: number;
  /** The 429 answers to over-budget frames: at most CONNECTION_RATE_PER_SECOND a second, the rest unanswered. */
  readonly refusals: TokenBucket;
  /** Epoch ms of the first over-budget frame of the current streak, and of the last one. */
  overSince: number | undefined;
  overLast = 0;
  /** Over-budget frames in the current streak. */
  overCount = 0;
  /** Actions accepted and waiting, processed one at a time in arrival order. */
  pending: PendingAction[] | undefined;
  busy = false;
  closed = false;

  constructor(
    readonly claims: ChatTokenClaims,
    readonly connection: ChatConnection,
    public local: LocalRoom,
    now: number,
  ) {
    this.at = now;
    this.refusals = { tokens: CONNECTION_RATE_PER_SECOND, at: now };
  }

  get userId(): string {
    return this.claims.userId;
  }
}
