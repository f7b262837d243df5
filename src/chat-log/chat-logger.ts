/**
 * What the chat core calls once per delivered frame, on the node that accepted it. The
 * implementation (chat-log/) turns it into a record per logging configuration of the room
 * and delivers it through a sink (local files, S3, CloudWatch Logs, Firehose).
 */
import type { Room } from '../domain/room.js';

export type ChatLogRecordType = 'MESSAGE' | 'EVENT';

export interface ChatLogger {
  /**
   * Queues one record `{event_timestamp, type, version: "1.0", payload}` for each logging
   * configuration the room lists. `payloadJson` is exactly the frame text clients received;
   * `receivedAt` is epoch milliseconds. Returns at once: never blocks, never throws; batching,
   * retries and spooling belong to the implementation.
   */
  record(room: Room, type: ChatLogRecordType, payloadJson: string, receivedAt: number): void;
  /** Delivers or durably spools everything queued so far (graceful shutdown). */
  close(): Promise<void>;
}

/** For rooms without logging and for tests of other parts. */
export const NO_CHAT_LOG: ChatLogger = { record() {}, async close() {} };
