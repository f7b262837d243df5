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
   * status, a Lambda function error, or `cancellation` firing (then promptly, with its
   * reason). Never retries a call the handler may have answered: one message is one invocation.
   */
  invoke(functionArn: string, request: ReviewRequest, cancellation: Cancellation): Promise<string>;

  /** Releases connections; later `invoke` calls may fail. */
  close(): void;
}

/**
 * How the gate tells a reviewer it stopped waiting. An AbortSignal would do, but creating one
 * and listening to it cost about a tenth of a review's CPU (docs/adr/0004-review-in-flight.md).
 */
export interface Cancellation {
  /** The reason, once the caller stopped waiting; undefined until then. */
  readonly reason: Error | undefined;
  /** Runs `listener` once when the caller stops waiting (at once if it already has). One listener per call. */
  onCancel(listener: (reason: Error) => void): void;
}

/** A Cancellation its owner fires. */
export class ReviewCancellation implements Cancellation {
  reason: Error | undefined;
  #listener: ((reason: Error) => void) | undefined;

  onCancel(listener: (reason: Error) => void): void {
    if (this.reason !== undefined) listener(this.reason);
    else this.#listener = listener;
  }

  cancel(reason: Error): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.(reason);
  }
}

/** For calls nobody gives up on. */
export const NEVER_CANCELLED: Cancellation = { reason: undefined, onCancel: () => undefined };

/** An AbortSignal that aborts when `cancellation` fires (for APIs that take one). */
export function abortSignalOf(cancellation: Cancellation): AbortSignal {
  const controller = new AbortController();
  cancellation.onCancel((reason) => controller.abort(reason));
  return controller.signal;
}
