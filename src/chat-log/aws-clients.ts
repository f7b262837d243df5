/** Shared bits of the AWS chat-log sinks: per-call options and error text. */

export interface CallOptions {
  /** Abort an API call after this long (the pipeline then retries the batch). */
  readonly timeoutMs: number;
  /** Pause before re-sending records Firehose refused (multiplied by the attempt number). */
  readonly partialRetryMs: number;
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
