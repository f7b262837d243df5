/**
 * End-of-turn batching: work queued while the event loop handles one turn's I/O runs once,
 * together, in that turn's check phase (setImmediate), so many small writes become one per
 * socket. Stages run in order: outbound requests (reviews) first, then fan-out writes, so a
 * review request never waits behind a large fan-out flush (its answer can then arrive while
 * the flush runs).
 */
export type Stage = 'requests' | 'fan-out';

type Task = () => void;

const queued: Record<Stage, Task[]> = { requests: [], 'fan-out': [] };
let scheduled = false;

/** Runs `task` once at the end of the current turn, in its stage's order. */
export function atTurnEnd(stage: Stage, task: Task): void {
  queued[stage].push(task);
  if (!scheduled) {
    scheduled = true;
    setImmediate(runTurnEnd);
  }
}

function runTurnEnd(): void {
  scheduled = false;
  const requests = queued.requests;
  const fanOut = queued['fan-out'];
  queued.requests = [];
  queued['fan-out'] = [];
  // Tasks queued while these run go to the next turn's batch.
  for (const task of requests) task();
  for (const task of fanOut) task();
}
