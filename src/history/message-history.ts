/**
 * The history port: where a room's kept messages live (`parlor:history`). Implementations:
 * sqlite-message-history.ts (embedded mode). A message is kept as the MESSAGE frame text that
 * clients received, so replay and ListMessages give back exactly what was delivered.
 *
 * Persistence: a batch that `apply` resolved is durable across a restart of the process. Writes
 * reach `apply` through history-writer.ts, which batches them off the delivery path; what is
 * still queued there when the process dies (at most one flush interval) is lost.
 */

export interface KeptMessage {
  /** The frame's `Id`. */
  readonly id: string;
  /** Epoch ms (the frame's `SendTime`). */
  readonly sendTime: number;
  /** The MESSAGE frame as delivered (JSON text). */
  readonly frame: string;
}

/** A kept message with its place in the room's history (larger = newer; unique per store). */
export interface KeptEntry extends KeptMessage {
  readonly seq: number;
}

/** One change to history; a batch is applied in order. */
export type HistoryOp =
  /** Keep a delivered message, then keep only the room's newest `limit`. */
  | { readonly kind: 'keep'; readonly roomArn: string; readonly message: KeptMessage; readonly limit: number }
  /** The message was deleted: forget it (absent is fine). */
  | { readonly kind: 'remove'; readonly roomArn: string; readonly messageId: string }
  /** Keep only the room's newest `limit` (0 = none). */
  | { readonly kind: 'trim'; readonly roomArn: string; readonly limit: number }
  /** The room is gone: forget all of it. */
  | { readonly kind: 'forget'; readonly roomArn: string };

export interface MessageHistory {
  /** Applies the ops in order, atomically; durable once resolved. */
  apply(ops: readonly HistoryOp[]): Promise<void>;
  /** The room's kept messages older than `beforeSeq` (all when absent), newest first, at most `limit`. */
  newest(roomArn: string, limit: number, beforeSeq?: number): Promise<KeptEntry[]>;
  close(): Promise<void>;
}
