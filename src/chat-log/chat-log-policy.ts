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

/**
 * An amount in use against a ceiling (records in memory across all lanes; bytes in the spool),
 * shared by every lane of a pipeline.
 */
export class Budget {
  used = 0;
  constructor(readonly max: number) {}
  tryTake(amount: number): boolean {
    if (this.used + amount > this.max) return false;
    this.used += amount;
    return true;
  }
  release(amount: number): void {
    this.used = Math.max(0, this.used - amount);
  }
}
