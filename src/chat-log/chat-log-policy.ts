/** Knobs and bounds of the chat-log pipeline's lanes. */

export interface BatchPolicy {
  /** Longest a record waits in the buffer before its batch is cut. */
  readonly maxAgeMs: number;
  /** Bytes per batch, counted as the sink limits count them. */
  readonly maxBytes: number;
  readonly maxRecords: number;
}

export interface RetryPolicy {
  /** First backoff; doubles per consecutive failure up to `maxMs`, with 50–100 % jitter. */
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Records held in memory (buffers and ready batches) across all lanes, against a ceiling. */
export class MemoryBudget {
  used = 0;
  constructor(readonly maxRecords: number) {}
}
