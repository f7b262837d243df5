import type { Scope } from './arn.js';

/** Server-side defaults and ceilings of a room (from the API model). */
export const ROOM_DEFAULTS = {
  maximumMessageRatePerSecond: 10,
  maximumMessageLength: 500,
  fallbackResult: 'ALLOW',
} as const;

export type FallbackResult = 'ALLOW' | 'DENY';

export interface ReviewHandler {
  /** Lambda function ARN; a room without a handler has none (never ""). */
  readonly uri: string;
  readonly fallbackResult: FallbackResult;
}

/** A room as stored: effective values only, timestamps in epoch milliseconds. */
export interface Room extends Scope {
  readonly arn: string;
  readonly id: string;
  readonly name: string;
  readonly createTime: number;
  readonly updateTime: number;
  readonly maximumMessageRatePerSecond: number;
  readonly maximumMessageLength: number;
  readonly messageReviewHandler: ReviewHandler | undefined;
  readonly tags: Readonly<Record<string, string>>;
  /** Logging-configuration ARNs, in the order the client gave them (0–3). */
  readonly loggingConfigurationIdentifiers: readonly string[];
}

/** A review-handler change as a request states it; see nextReviewHandler. */
export interface ReviewHandlerChange {
  readonly uri?: string;
  readonly fallbackResult?: FallbackResult;
}

/**
 * The handler after `change`: an absent `uri` keeps the current one, and no uri (or `""`) means
 * no handler; an absent `fallbackResult` is ALLOW (the model's default), whatever it was.
 */
export function nextReviewHandler(current: ReviewHandler | undefined, change: ReviewHandlerChange): ReviewHandler | undefined {
  const uri = change.uri ?? current?.uri ?? '';
  return uri === '' ? undefined : { uri, fallbackResult: change.fallbackResult ?? ROOM_DEFAULTS.fallbackResult };
}

/**
 * The members UpdateRoom may change; absent = keep. The review handler change is applied with
 * nextReviewHandler to the handler current inside the write, so concurrent updates serialise.
 */
export interface RoomPatch {
  readonly name?: string;
  readonly maximumMessageRatePerSecond?: number;
  readonly maximumMessageLength?: number;
  readonly messageReviewHandler?: ReviewHandlerChange;
  readonly loggingConfigurationIdentifiers?: readonly string[];
}
