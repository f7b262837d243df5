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

/** The members UpdateRoom may change; absent = keep. `messageReviewHandler: null` removes it. */
export interface RoomPatch {
  readonly name?: string;
  readonly maximumMessageRatePerSecond?: number;
  readonly maximumMessageLength?: number;
  readonly messageReviewHandler?: ReviewHandler | null;
  readonly loggingConfigurationIdentifiers?: readonly string[];
}
