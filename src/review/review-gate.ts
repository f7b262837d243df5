/**
 * What the chat pipeline asks before delivering a SEND_MESSAGE in a room that has a review
 * handler. The implementation (review/) invokes the handler (Lambda Invoke API or webhook),
 * enforces the deadline, validates the answer and applies the room's fallback.
 */
import type { ReviewHandler } from '../domain/room.js';

/** The handler's input, field for field as SPEC §5 gives it (PascalCase on the wire). */
export interface ReviewRequest {
  readonly Content: string;
  /** The `Id` the message will carry if delivered. */
  readonly MessageId: string;
  readonly RoomArn: string;
  readonly Attributes: Readonly<Record<string, string>>;
  readonly Sender: {
    readonly UserId: string;
    readonly Attributes: Readonly<Record<string, string>>;
    readonly Ip: string;
  };
}

export type ReviewDecision =
  /** Deliver with this content and these attributes (the original ones, or the handler's rewrite). */
  | { readonly kind: 'allow'; readonly content: string; readonly attributes: Readonly<Record<string, string>> }
  /**
   * Deliver nothing; the sender gets ERROR 406, with `reason` when the handler gave one.
   * `fallback`: the handler did not decide and the room's fallbackResult (DENY) applied.
   */
  | { readonly kind: 'deny'; readonly reason?: string; readonly fallback?: true };

export interface ReviewGate {
  /**
   * Decides one message. Never rejects: a timeout, an error, an invalid answer or a full
   * concurrency bound becomes the handler's `fallbackResult` (ALLOW = the original message
   * unchanged). Settles within the configured review timeout plus scheduling slack.
   * `maximumMessageLength` is the room's, in code points, for checking a rewritten Content.
   */
  review(handler: ReviewHandler, maximumMessageLength: number, request: ReviewRequest): Promise<ReviewDecision>;
}
