/**
 * Answers this process is waiting for: outbound requests in flight whose replies decide what
 * is delivered next (message reviews). Long runs of work on the event loop (the fan-out's
 * write passes, see Outbox) yield to I/O more often while any are awaited, so a reply is read
 * within a fraction of a millisecond instead of after a whole slice of writes.
 */
let awaited = 0;

/** Counts one awaited answer; call the returned function once it arrived or no longer matters (idempotent). */
export function awaitAnswer(): () => void {
  awaited++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    awaited--;
  };
}

/** True while any answer is awaited. */
export function answersAwaited(): boolean {
  return awaited > 0;
}
