/**
 * The chat-log record, as AWS writes it:
 * `{"event_timestamp":"<ISO-8601 UTC, ms>","type":"MESSAGE"|"EVENT","version":"1.0","payload":<frame>}`.
 * The line is built around the frame text clients received, never re-serialized, so the
 * payload is byte-for-byte what they saw and the work is done once per frame.
 */
import type { ChatLogRecordType } from './chat-logger.js';

export const CHAT_LOG_VERSION = '1.0';

/** `payloadJson` must be one JSON value (the frame); `receivedAt` is epoch milliseconds. */
export function formatChatLogRecord(type: ChatLogRecordType, payloadJson: string, receivedAt: number): string {
  return `{"event_timestamp":"${new Date(receivedAt).toISOString()}","type":"${type}","version":"${CHAT_LOG_VERSION}","payload":${payloadJson}}`;
}
