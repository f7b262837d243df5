/**
 * One open chat connection: who it is (the token's claims), where (its room), and its
 * per-connection state. Kept small: there may be tens of thousands.
 */
import type { ChatTokenClaims } from '../domain/chat-token.js';
import type { ClientAction } from '../protocol/chat-frames.js';
import type { TokenBucket } from '../rate-limit/token-bucket.js';
import type { ChatConnection, WireFrame } from './connection.js';
import type { LocalRoom } from './room-hub.js';

/** Requests per second one connection may make (SPEC §2.8's per-connection quota). */
export const CONNECTION_RATE_PER_SECOND = 10;
/** Accepted actions waiting behind a slow one (a review) before more are refused with 429. */
export const MAX_PENDING_ACTIONS = 32;

export interface PendingAction {
  readonly action: ClientAction;
  /** Epoch ms when the frame arrived. */
  readonly receivedAt: number;
}

/** A live frame held during a replay: its bytes and the JSON it was encoded from (for its Id). */
export interface HeldFrame {
  readonly wire: WireFrame;
  readonly json: string;
}

export class ChatSession implements TokenBucket {
  /** The per-connection token bucket (see CONNECTION_RATE_PER_SECOND). */
  tokens = CONNECTION_RATE_PER_SECOND;
  at: number;
  /** Actions accepted and waiting, processed one at a time in arrival order. */
  pending: PendingAction[] | undefined;
  busy = false;
  closed = false;
  /**
   * While the session's replay is being read (`parlor:replay`): the room's live frames, held
   * back so that none goes out before the replay (see replay.ts). Undefined otherwise.
   */
  held: HeldFrame[] | undefined;

  constructor(
    readonly claims: ChatTokenClaims,
    readonly connection: ChatConnection,
    public local: LocalRoom,
    now: number,
  ) {
    this.at = now;
  }

  get userId(): string {
    return this.claims.userId;
  }
}
