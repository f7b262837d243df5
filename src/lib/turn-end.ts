/**
 * End-of-turn batching: work queued while the event loop handles one turn's I/O runs once,
 * together, in that turn's check phase (setImmediate), so many small writes become one per
 * socket. Stages run in order, each after the previous one finished:
 *
 * 1. `requests` — outbound requests (reviews), so they never wait behind a large fan-out flush
 *    and their answers can arrive while it runs;
 * 2. `fan-out` — each connection's queued frames are written.
 *
 * A task queued for a later stage while an earlier one runs still runs in this batch; one
 * queued for the stage that is running, or an earlier one, runs at the end of the next turn.
 *
 * One TurnEnd per node (built in the composition root) is shared by every part that batches,
 * so the stage order holds between them.
 */
export type Stage = 'requests' | 'fan-out';

type Task = () => void;

const STAGES: readonly Stage[] = ['requests', 'fan-out'];
const ORDER: Record<Stage, number> = { requests: 0, 'fan-out': 1 };

export class TurnEnd {
  #queued: Record<Stage, Task[]> = { requests: [], 'fan-out': [] };
  #scheduled = false;
  /** The stage running now (-1: none). */
  #running = -1;

  /** Runs `task` once at the end of the current turn, in its stage's order. */
  at(stage: Stage, task: Task): void {
    this.#queued[stage].push(task);
    // A later stage of the batch that is running now: it will be taken when its stage comes.
    if (this.#running >= 0 && ORDER[stage] > this.#running) return;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  readonly #run = (): void => {
    this.#scheduled = false;
    try {
      for (this.#running = 0; this.#running < STAGES.length; this.#running++) {
        const stage = STAGES[this.#running]!;
        const tasks = this.#queued[stage];
        this.#queued[stage] = [];
        for (const task of tasks) task();
      }
    } finally {
      this.#running = -1;
    }
  };
}
