/**
 * The order of a bench:chat run: step by step, every target on a step before the next step,
 * in an order that alternates from one step to the next (A B, then B A, …) and, for each
 * step, from one round to the next.
 * The runs compared with each other (a target against its baseline on the same step) are
 * then minutes apart at most, and a drift of the machine's speed weighs on both alike; run
 * target by target, the default ladder put 10–15 minutes between them.
 *
 * Without fixed steps the ladder grows: after the last step, one more room of 5,000
 * subscribers, for the targets that sustained the step before, up to `maxRooms` rooms.
 */
import type { StepPlan } from './step.js';

/** How one target did on one step. `skipped`: not run (too many connections); `error`: the step broke. */
export type Outcome = 'sustained' | 'not-sustained' | 'skipped' | 'error';

export interface Schedule<T> {
  readonly targets: readonly T[];
  readonly plans: readonly StepPlan[];
  /** Times the whole schedule runs (the order of targets keeps alternating). */
  readonly rounds: number;
  /** Grow the ladder after the last step (the default ladder; not with fixed steps). */
  readonly grow: boolean;
  readonly maxRooms: number;
}

export interface ScheduleHooks<T> {
  run(target: T, plan: StepPlan): Promise<Outcome>;
  /** Called before each round (only when there are several) and each step. */
  announce(heading: string): void;
}

export async function runSchedule<T>(schedule: Schedule<T>, hooks: ScheduleHooks<T>): Promise<void> {
  for (let round = 0; round < schedule.rounds; round++) {
    if (schedule.rounds > 1) hooks.announce(`## Round ${round + 1} of ${schedule.rounds}`);
    const plans = [...schedule.plans];
    // A target whose step broke (an error, not a failed verdict) sits out the rest of the round.
    const broken = new Set<T>();
    let sustainedLast: T[] = [];
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!;
      const grown = i >= schedule.plans.length;
      const eligible = (grown ? sustainedLast : schedule.targets).filter((t) => !broken.has(t));
      // Alternates along the steps of a round and, for each step, from one round to the next.
      const order = (round + i) % 2 === 0 ? eligible : [...eligible].reverse();
      hooks.announce(`# ${plan.rooms}×${plan.subscribers}`);
      sustainedLast = [];
      for (const target of order) {
        const outcome = await hooks.run(target, plan);
        if (outcome === 'error') broken.add(target);
        if (outcome === 'sustained') sustainedLast.push(target);
      }
      // Keep the targets' own order for the next step's alternation.
      sustainedLast = schedule.targets.filter((t) => sustainedLast.includes(t));
      const last = i === plans.length - 1;
      if (schedule.grow && last && sustainedLast.length > 0 && plan.rooms < schedule.maxRooms) {
        plans.push({ rooms: plan.rooms + 1, subscribers: 5000 });
      }
    }
  }
}
