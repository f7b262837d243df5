/**
 * Answers a node is waiting for: outbound requests in flight whose replies decide what is
 * delivered next (message reviews). Long runs of work on the event loop (the fan-out's write
 * passes, see Outbox) yield to I/O more often while any are awaited, so a reply is read within
 * a fraction of a millisecond instead of after a whole slice of writes. One per node, built in
 * the composition root and shared by the review gate (which counts) and the Outbox (which asks).
 */
export class AwaitedAnswers {
  #awaited = 0;

  /** Counts one awaited answer; call the returned function once it arrived or no longer matters (idempotent). */
  awaitAnswer(): () => void {
    this.#awaited++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#awaited--;
    };
  }

  /** True while any answer is awaited. */
  readonly answersAwaited = (): boolean => this.#awaited > 0;
}
