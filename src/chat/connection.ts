/**
 * What the chat core needs from a transport connection, and how it hands frames over. The
 * WebSocket gateway implements both; the core never sees a socket.
 */

/** Close codes Parlor uses (docs/aws-differences.md). A close frame makes the official client stop. */
export const CLOSE = {
  /** DisconnectUser / DISCONNECT_USER. */
  disconnected: 1000,
  /** Kept sending over the per-connection budget (chat-session.ts OVER_BUDGET_CLOSE_MS). */
  policyViolation: 1008,
  /** Shutdown drain ("service restart"), after an ERROR 401 (the official client reconnects on the 401). */
  serviceRestart: 1012,
  /** Session over, after an ERROR 401 (the official client reconnects on the 401). */
  sessionExpired: 4001,
  /** The room was deleted, after an ERROR 404. */
  roomDeleted: 4004,
} as const;

/** One frame ready for the wire: encoded once, the same bytes handed to every recipient. */
export type WireFrame = Uint8Array;

/** Turns a frame's JSON text into its wire bytes. */
export type FrameEncoder = (json: string) => WireFrame;

export interface ChatConnection {
  /** The client's IP address (review requests carry it). */
  readonly ip: string;
  /**
   * Queues `frame` for this client. Never blocks and never throws; a client whose unsent
   * bytes pass the transport's bound is dropped (abruptly) instead.
   */
  send(frame: WireFrame): void;
  /** Sends what is queued, then closes with a close frame (`code`, `reason` ≤ 123 bytes). */
  close(code: number, reason: string): void;
}
