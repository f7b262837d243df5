/** bench:chat's run order: step-major, alternating targets, a ladder that grows for those that sustain. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSchedule, type Outcome } from '../../bench/chat/schedule.js';
import type { StepPlan } from '../../bench/chat/step.js';

const step = (rooms: number, subscribers: number): StepPlan => ({ rooms, subscribers });
const label = (plan: StepPlan): string => `${plan.rooms}x${plan.subscribers}`;

/** Runs a schedule whose steps end as `outcome` says; returns "target@step" in run order and the headings. */
async function record(
  options: { targets: string[]; plans: StepPlan[]; rounds?: number; grow?: boolean; maxRooms?: number },
  outcome: (target: string, plan: StepPlan) => Outcome = () => 'sustained',
): Promise<{ runs: string[]; headings: string[] }> {
  const runs: string[] = [];
  const headings: string[] = [];
  await runSchedule(
    { targets: options.targets, plans: options.plans, rounds: options.rounds ?? 1, grow: options.grow ?? false, maxRooms: options.maxRooms ?? 4 },
    {
      run: async (target, plan) => {
        runs.push(`${target}@${label(plan)}`);
        return outcome(target, plan);
      },
      announce: (heading) => headings.push(heading),
    },
  );
  return { runs, headings };
}

test('every target runs a step before the next step, the order alternating from step to step', async () => {
  const { runs, headings } = await record({ targets: ['a', 'b'], plans: [step(1, 1000), step(1, 2000), step(1, 5000)] });
  assert.deepEqual(runs, ['a@1x1000', 'b@1x1000', 'b@1x2000', 'a@1x2000', 'a@1x5000', 'b@1x5000']);
  assert.deepEqual(headings, ['# 1×1000', '# 1×2000', '# 1×5000']);
});

test('with rounds, each step alternates from one round to the next', async () => {
  const { runs, headings } = await record({ targets: ['a', 'b'], plans: [step(1, 1000), step(1, 2000)], rounds: 2 });
  assert.deepEqual(runs, ['a@1x1000', 'b@1x1000', 'b@1x2000', 'a@1x2000', 'b@1x1000', 'a@1x1000', 'a@1x2000', 'b@1x2000']);
  assert.equal(headings[0], '## Round 1 of 2');
  assert.equal(headings.filter((h) => h.startsWith('## Round')).length, 2);
});

test('the ladder grows one room of 5,000 at a time for the targets that sustained the step before', async () => {
  const sustains: Record<string, number> = { a: 3, b: 1, c: 2 }; // rooms of 5,000 each sustains
  const { runs } = await record(
    { targets: ['a', 'b', 'c'], plans: [step(1, 5000)], grow: true, maxRooms: 4 },
    (target, plan) => (plan.rooms <= sustains[target]! ? 'sustained' : 'not-sustained'),
  );
  // b sustained 1×5000, so it tries 2×5000; it fails there and goes no further.
  assert.deepEqual(runs, ['a@1x5000', 'b@1x5000', 'c@1x5000', 'c@2x5000', 'b@2x5000', 'a@2x5000', 'a@3x5000', 'c@3x5000', 'a@4x5000']);
});

test('the ladder stops at maxRooms and does not grow with fixed steps', async () => {
  const grown = await record({ targets: ['a'], plans: [step(1, 5000)], grow: true, maxRooms: 2 });
  assert.deepEqual(grown.runs, ['a@1x5000', 'a@2x5000']);
  const fixed = await record({ targets: ['a'], plans: [step(1, 5000)], grow: false });
  assert.deepEqual(fixed.runs, ['a@1x5000']);
});

test('a target whose step broke sits out the rest of the round, and runs again in the next', async () => {
  const { runs } = await record(
    { targets: ['a', 'b'], plans: [step(1, 1000), step(1, 2000)], rounds: 2 },
    (target, plan) => (target === 'b' && plan.subscribers === 1000 ? 'error' : 'sustained'),
  );
  assert.deepEqual(runs, ['a@1x1000', 'b@1x1000', 'a@1x2000', 'b@1x1000', 'a@1x1000', 'a@1x2000']);
});

test('a skipped step (too many connections) ends the growth like a failed one', async () => {
  const { runs } = await record({ targets: ['a'], plans: [step(1, 5000)], grow: true, maxRooms: 4 }, (_t, plan) => (plan.rooms === 2 ? 'skipped' : 'sustained'));
  assert.deepEqual(runs, ['a@1x5000', 'a@2x5000']);
});
