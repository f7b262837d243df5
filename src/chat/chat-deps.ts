/** What the chat core is built from; chosen by the composition root. */
import type { ChatLogger } from '../chat-log/chat-logger.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { HistoryWriter } from '../history/history-writer.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { ReviewGate } from '../review/review-gate.js';
import type { FrameEncoder } from './connection.js';

/** Where the core reports failures it cannot answer to a client (a pino logger fits). */
export interface ErrorLog {
  error(details: object, message: string): void;
}

export interface ChatDeps {
  readonly fanOut: FanOut;
  readonly rateLimiter: RateLimiter;
  /** Absent: rooms' review handlers are not called (messages pass unreviewed). */
  readonly review: ReviewGate | undefined;
  readonly chatLog: ChatLogger;
  /** Where delivered messages of rooms with `parlor:history` are kept. */
  readonly history: HistoryWriter;
  readonly encode: FrameEncoder;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly log: ErrorLog;
}
