/**
 * The review port: one call to a message review handler. Implementations only move bytes
 * (Lambda Invoke API, HTTP webhook); judging the answer, the deadline and the room's fallback
 * belong to the gate (handler-review-gate.ts).
 */
import type { ReviewRequest } from './review-gate.js';

export interface MessageReviewer {
  /**
   * Sends `request` (SPEC §5 payload, serialized as JSON) to the handler named by
   * `functionArn` and resolves the handler's answer body as text, unparsed.
   *
   * Rejects when the handler could not give an answer: transport failure, a non-success
   * status, a Lambda function error, or `signal` aborting (then promptly, with the signal's
   * reason). Never retries: one message is one invocation.
   */
  invoke(functionArn: string, request: ReviewRequest, signal: AbortSignal): Promise<string>;

  /** Releases connections; later `invoke` calls may fail. */
  close(): void;
}
