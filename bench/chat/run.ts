/**
 * `npm run bench:chat` — chat fan-out benchmark of Parlor against two reference servers (naive
 * `ws` broadcast, per-turn coalescing), all driven by the same raw-socket load generator.
 * Server on core 0, load generator on core 1 (taskset). Each step: one or more rooms at 100
 * messages/s from 10 publishers, N subscribers per room; the default steps are 1×1000, 1×2000,
 * 1×5000 subscribers, then more 5,000-subscriber rooms while the previous step was sustained
 * (p99 ≤ 100 ms, nothing lost), up to --max-rooms and the open-files limit.
 *
 * Options: --only parlor,parlor-chatlog,parlor-review,parlor-review-ab,naive,coalescing  --steps 1x1000,1x2000  --max-rooms N
 *          --duration S (measured window, default 5)  --warmup S (default 3)  --drain S (default 5)
 *          --publishers N (default 10)  --rate MSG_PER_S per room (default 100)  --content-bytes N
 *          --json FILE (raw records)  --parlor-root DIR (run Parlor from another checkout)
 *          --review-core N (CPU of parlor-review's webhook, default 1 = the load generator's)
 *          --review-rt N (real-time priority of the webhook's main thread, default 1; 0 = nice only)
 *          --nice N (priority of the server and load generator, default -10; 0 = unchanged)
 *          --profile server|loadgen (node --cpu-prof of that child, profiles in bench-profiles/)
 *          --rounds N (with --steps: run every step N times)
 *          --block S, --settle MS (parlor-review-ab: seconds per block with or without review, default 2;
 *          messages sent this long after a switch count for neither side, default 250)
 *          --ab-control (parlor-review-ab switches, but review stays off on both sides: a check of the method)
 * Steps run one after another, each for every target, the order of targets alternating
 * (schedule.ts).
 */
import { writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openFilesLimit, profileChild, setChildNice, TASKSET_AVAILABLE, type ChildRole } from './proc.js';
import { MIN_WARMUP_MS, MIN_WINDOW_MS } from './phases.js';
import { interleavedComparison, reviewComparison } from './review-report.js';
import { placeReviewWebhook } from './review-target.js';
import { ceilingLines, ratioTable, stepLine, stepTable } from './report.js';
import { runSchedule, type Outcome } from './schedule.js';
import { runStep, type StepOptions, type StepPlan, type StepRecord } from './step.js';
import { SERVER_CORE, setParlorRoot, TARGET_NAMES, type TargetName } from './targets.js';
import { LOADGEN_CORE } from './step.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    steps: { type: 'string' },
    'max-rooms': { type: 'string', default: '4' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    drain: { type: 'string', default: '5' },
    publishers: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    'content-bytes': { type: 'string', default: '40' },
    json: { type: 'string' },
    'parlor-root': { type: 'string' },
    'review-core': { type: 'string', default: '1' },
    'review-rt': { type: 'string', default: '1' },
    nice: { type: 'string', default: '-10' },
    profile: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    block: { type: 'string', default: '2' },
    settle: { type: 'string', default: '250' },
    'ab-control': { type: 'boolean', default: false },
  },
});

const targets = (values.only?.split(',') ?? TARGET_NAMES).map((t) => {
  if (!TARGET_NAMES.includes(t as TargetName)) throw new Error(`--only: unknown target ${t} (use ${TARGET_NAMES.join(', ')})`);
  return t as TargetName;
});
const opts: StepOptions = {
  publishers: Number(values.publishers),
  roomRate: Number(values.rate),
  warmupMs: Number(values.warmup) * 1000,
  measureMs: Number(values.duration) * 1000,
  drainMs: Number(values.drain) * 1000,
  contentBytes: Number(values['content-bytes']),
  blockMs: Number(values.block) * 1000,
  settleMs: Number(values.settle),
  abControl: values['ab-control'] ?? false,
};
if (!(opts.blockMs > 0) || !(opts.settleMs >= 0) || opts.settleMs >= opts.blockMs) throw new Error('--block: seconds > 0; --settle: milliseconds ≥ 0, shorter than a block');
const parsePlan = (s: string): StepPlan => {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (m === null) throw new Error(`--steps: "${s}" is not ROOMSxSUBSCRIBERS (e.g. 1x5000)`);
  return { rooms: Number(m[1]), subscribers: Number(m[2]) };
};
if (values.profile !== undefined) {
  if (values.profile !== 'server' && values.profile !== 'loadgen') throw new Error('--profile: server or loadgen');
  const dir = resolve('bench-profiles');
  profileChild(values.profile as ChildRole, dir);
  console.log(`profiling the ${values.profile} child of every step into ${dir}`);
}
if (values['parlor-root'] !== undefined) setParlorRoot(values['parlor-root']);
placeReviewWebhook(Number(values['review-core']), Number(values['review-rt']));
const fixedSteps = values.steps !== undefined;
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a whole number, 1 or more');
if (rounds > 1 && !fixedSteps) throw new Error('--rounds needs --steps (the default ladder grows with what each target sustains)');
const basePlans: StepPlan[] = fixedSteps ? values.steps!.split(',').map(parsePlan) : [1000, 2000, 5000].map((subscribers) => ({ rooms: 1, subscribers }));
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
console.log(setChildNice(Number(values.nice)));
console.log(`open-files limit ${fdLimit}: at most ${maxConnections} connections per step; escalation up to ${maxRooms} rooms of 5,000`);
console.log(`steps: ${opts.warmupMs / 1000} s warm-up + ${opts.measureMs / 1000} s measured, ${opts.roomRate} msg/s per room from ${opts.publishers} publishers`);
if (targets.includes('parlor-review-ab')) {
  console.log(`parlor-review-ab: at least ${MIN_WARMUP_MS / 1000} s warm-up and ${MIN_WINDOW_MS / 1000} s measured, blocks of ${opts.blockMs / 1000} s, ${opts.settleMs} ms settling after a switch${opts.abControl ? '; CONTROL: review stays off on both sides' : ''}`);
}

const records: StepRecord[] = [];
async function runOne(target: TargetName, plan: StepPlan): Promise<Outcome> {
  const connections = plan.rooms * (plan.subscribers + opts.publishers);
  if (connections > maxConnections) {
    console.log(`  skip ${target} ${plan.rooms}×${plan.subscribers}: ${connections} connections exceed the open-files limit (${fdLimit})`);
    return 'skipped';
  }
  let record: StepRecord;
  try {
    record = await runStep(target, plan, opts);
  } catch (err) {
    console.log(`  ${target} ${plan.rooms}×${plan.subscribers}: step failed: ${(err as Error).message}`);
    return 'error';
  }
  records.push(record);
  console.log(stepLine(record));
  return record.failures.length === 0 ? 'sustained' : 'not-sustained';
}
// Step by step, the order of the targets alternating (schedule.ts); comparisons pair the
// i-th runs of a step.
await runSchedule(
  { targets, plans: basePlans, rounds, grow: !fixedSteps, maxRooms },
  { run: runOne, announce: (heading) => console.log(`\n${heading}`) },
);

console.log(`\n## Steps\n\n${stepTable(records)}`);
console.log(`\n## Highest sustained step\n\n${ceilingLines(records, targets)}`);
const idle = records.filter((r) => r.plan.rooms === 1 && r.plan.subscribers === 5000);
if (idle.length > 0) {
  console.log('\n## RSS per idle connection (1 room × 5,000 subscribers + publishers, connected, before publishing)\n');
  for (const r of idle) console.log(`- ${r.target}: ${Math.round(r.idleBytesPerConnection)} bytes (${r.connections} connections, RSS ${(r.rssBeforeBytes / 1048576).toFixed(0)} → ${(r.rssIdleBytes / 1048576).toFixed(0)} MB)`);
}
if (targets.includes('parlor')) {
  for (const baseline of ['naive', 'coalescing'] as const) {
    if (targets.includes(baseline)) console.log(`\n## Parlor / ${baseline}\n\n${ratioTable(records, baseline)}`);
  }
}
if (targets.includes('parlor') && targets.includes('parlor-chatlog')) {
  console.log(`\n## Parlor with chat logging (S3 + CloudWatch Logs + Firehose, local sink) / Parlor\n\n${ratioTable(records, 'parlor', 'parlor-chatlog')}`);
}
if (targets.includes('parlor') && targets.includes('parlor-review')) {
  console.log(`\n## Parlor with review (instant local webhook on every room) / Parlor\n\n${reviewComparison(records)}`);
}
if (targets.includes('parlor-review-ab')) {
  const heading = opts.abControl ? 'CONTROL (--ab-control): review off on both sides, "with review" is a second plain side' : 'Review switched off and on within each run';
  console.log(`\n## ${heading} (parlor-review-ab)\n\n${interleavedComparison(records)}`);
}
console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(records, null, 2));
