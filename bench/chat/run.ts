/**
 * `npm run bench:chat` — chat fan-out benchmark of Parlor against two reference servers (naive
 * `ws` broadcast, per-turn coalescing), all driven by the same raw-socket load generator.
 * Server on core 0, load generator on core 1 (taskset). Each step: one or more rooms at 100
 * messages/s from 10 publishers, N subscribers per room; the default steps are 1×1000, 1×2000,
 * 1×5000 subscribers, then more 5,000-subscriber rooms while the previous step was sustained
 * (p99 ≤ 100 ms, nothing lost), up to --max-rooms and the open-files limit.
 *
 * Options: --only TARGET,…  (default: every target of targets.ts)  --steps 1x1000,40x10
 *          --rounds N (with --steps: run every step N times)  --max-rooms N (default 4)
 *          --duration S (measured window, default 5)  --warmup S (default 3)  --drain S (default 5)
 *          --publishers N (default 10)  --rate MSG_PER_S per room (default 100)  --content-bytes N
 *          --json FILE (raw records)
 * Every target runs a step before the next step; the order of the targets alternates from
 * step to step, so that a target and its baseline are measured minutes apart at most.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { openFilesLimit, TASKSET_AVAILABLE } from './proc.js';
import { ceilingLines, comparisonTable, COMPARISONS, stepLine, stepTable } from './report.js';
import { loadFlags, loadOptions, LOADGEN_CORE, parsePlan, runStep, type StepOptions, type StepPlan, type StepRecord } from './step.js';
import { SERVER_CORE, TARGET_NAMES, TARGETS, type TargetName } from './targets.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    steps: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'max-rooms': { type: 'string', default: '4' },
    ...loadFlags(5),
    json: { type: 'string' },
  },
});

const targets = (values.only?.split(',') ?? TARGET_NAMES).map((t) => {
  if (!(t in TARGETS)) throw new Error(`--only: unknown target ${t}; the targets are:\n${(Object.keys(TARGETS) as TargetName[]).map((n) => `  ${n}: ${TARGETS[n].about}`).join('\n')}`);
  return t as TargetName;
});
const opts: StepOptions = loadOptions(values);
const fixedSteps = values.steps !== undefined;
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a whole number, 1 or more');
if (rounds > 1 && !fixedSteps) throw new Error('--rounds needs --steps (the default ladder grows with what each target sustains)');
const basePlans: StepPlan[] = fixedSteps ? values.steps!.split(',').map((p) => parsePlan('steps', p)) : [1000, 2000, 5000].map((subscribers) => ({ rooms: 1, subscribers }));
// Every connection is one file descriptor in the server and one in the load generator.
const fdLimit = openFilesLimit();
const maxConnections = fdLimit - 200;
const maxRooms = Math.min(Number(values['max-rooms']), Math.floor(maxConnections / (5000 + opts.publishers)));

console.log(`bench:chat — ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(
  TASKSET_AVAILABLE
    ? `server pinned to CPU ${SERVER_CORE}, load generator to CPU ${LOADGEN_CORE} (taskset)`
    : 'taskset is missing: server and load generator run UNPINNED (numbers are less comparable)',
);
console.log(`open-files limit ${fdLimit}: at most ${maxConnections} connections per step; escalation up to ${maxRooms} rooms of 5,000`);
console.log(`steps: ${opts.warmupMs / 1000} s warm-up + ${opts.measureMs / 1000} s measured, ${opts.roomRate} msg/s per room from ${opts.publishers} publishers`);

/** Runs one step; true when it was sustained. */
const records: StepRecord[] = [];
async function runOne(target: TargetName, plan: StepPlan): Promise<boolean> {
  const connections = plan.rooms * (plan.subscribers + opts.publishers);
  if (connections > maxConnections) {
    console.log(`  skip ${target} ${plan.rooms}×${plan.subscribers}: ${connections} connections exceed the open-files limit (${fdLimit})`);
    return false;
  }
  try {
    const record = await runStep(target, plan, opts);
    records.push(record);
    console.log(stepLine(record));
    return record.failures.length === 0;
  } catch (err) {
    console.log(`  ${target} ${plan.rooms}×${plan.subscribers}: step failed: ${(err as Error).message}`);
    return false;
  }
}

for (let round = 0; round < rounds; round++) {
  if (rounds > 1) console.log(`\n## Round ${round + 1} of ${rounds}`);
  const plans = [...basePlans];
  let eligible = targets;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i]!;
    console.log(`\n# ${plan.rooms}×${plan.subscribers}`);
    const sustained = new Set<TargetName>();
    for (const target of (round + i) % 2 === 0 ? eligible : [...eligible].reverse()) {
      if (await runOne(target, plan)) sustained.add(target);
    }
    // The default ladder grows by one room of 5,000 for the targets that sustained its last step.
    if (!fixedSteps && i === plans.length - 1 && sustained.size > 0 && plan.rooms < maxRooms) {
      eligible = targets.filter((t) => sustained.has(t));
      plans.push({ rooms: plan.rooms + 1, subscribers: 5000 });
    }
  }
}

console.log(`\n## Steps\n\n${stepTable(records)}`);
console.log(`\n## Highest sustained step\n\n${ceilingLines(records, targets)}`);
const idle = records.filter((r) => r.plan.rooms === 1 && r.plan.subscribers === 5000);
if (idle.length > 0) {
  console.log('\n## RSS per idle connection (1 room × 5,000 subscribers + publishers, connected, before publishing)\n');
  for (const r of idle) console.log(`- ${r.target}: ${Math.round(r.idleBytesPerConnection)} bytes (${r.connections} connections, RSS ${(r.rssBeforeBytes / 1048576).toFixed(0)} → ${(r.rssIdleBytes / 1048576).toFixed(0)} MB)`);
}
for (const comparison of COMPARISONS) {
  if (targets.includes(comparison.subject) && targets.includes(comparison.baseline)) {
    console.log(`\n## ${comparison.heading}\n\n${comparisonTable(records, comparison)}`);
  }
}
console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(records, null, 2));
