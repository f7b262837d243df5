/**
 * Running totals of the chat core, kept as plain numbers so that counting on the message path
 * allocates nothing (a prom-client label child hashes its labels on every increment); /metrics
 * reads them when scraped (server/chat-metrics.ts). Counts only grow.
 */
import type { ChatErrorCode } from '../protocol/chat-frames.js';

/**
 * What became of a SEND_MESSAGE action; each one is counted once, under one outcome:
 * - `delivered`: published to the room (also when a review allowed or rewrote it, or when the
 *   handler failed and the room's fallbackResult is ALLOW);
 * - `validation`: refused 400/413 (empty or too long content, bad or too large attributes);
 * - `forbidden`: refused 403 (the token lacks SEND_MESSAGE);
 * - `rate_limit`: refused 429 by the room's maximumMessageRatePerSecond or by the
 *   connection's queue of waiting actions;
 * - `slow_mode`: refused 429 by the room's `parlor:slow-mode`;
 * - `review_deny`: refused 406 by the room's review handler;
 * - `review_fallback_deny`: refused 406 because the handler did not decide in time (timeout,
 *   error, invalid answer, overload) and the room's fallbackResult is DENY;
 * - `error`: failed with 500 (e.g. the fan-out could not publish).
 * Frames over the connection's request budget are not parsed, so not counted here (see
 * `framesOverBudget`).
 */
export const MESSAGE_OUTCOMES = ['delivered', 'validation', 'forbidden', 'rate_limit', 'slow_mode', 'review_deny', 'review_fallback_deny', 'error'] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];
export type MessageCounts = Record<MessageOutcome, number>;

export function zeroMessageCounts(): MessageCounts {
  return { delivered: 0, validation: 0, forbidden: 0, rate_limit: 0, slow_mode: 0, review_deny: 0, review_fallback_deny: 0, error: 0 };
}

/** The outcome of a SEND_MESSAGE refused on arrival with ERROR `code`. */
export function refusedOutcome(code: ChatErrorCode): MessageOutcome {
  switch (code) {
    case 403:
      return 'forbidden';
    case 429:
      return 'rate_limit';
    case 500:
      return 'error';
    default:
      return 'validation';
  }
}
