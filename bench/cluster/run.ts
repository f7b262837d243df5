/**
 * `npm run bench:cluster` — what cluster mode (PostgreSQL + Redis) costs beside embedded mode
 * under the same load, in one run (issue 13's "Measure"):
 *   (a) a node's CPU per delivery, cluster / embedded, at every --steps size (goal ≤ 1.15×);
 *   (b) the p99 added when subscribers sit on another node than the publishers, against all on
 *       one node, at every --cross-node-steps size (goal ≤ 5 ms at 1×1000; 1×100 shows the hop
 *       itself, with the nodes far from full);
 *   (c) Redis commands and bytes and PostgreSQL statements and bytes per chat message (goal:
 *       the same whatever the number of subscribers);
 *   (d) the deliveries/s of 2, 4 and 8 nodes, projected from these on paper (projection.ts).
 * Nodes on core 0; the load generator (bench/chat/load-generator.ts) and a private redis-server
 * on core 1; the machine's PostgreSQL (a fresh database per step) unpinned.
 *
 * Options: --steps 1x1000,1x5000  --cross-node-steps 1x100,1x1000  --rounds N (default 1)
 *          --duration S (measured window, default 10)  --warmup S (default 3)  --drain S (default 5)
 *          --publishers N (default 10)  --rate MSG_PER_S per room (default 100)  --content-bytes N (default 40)
 *          --json FILE (raw records)  --cpu-prof DIR (every node writes a V8 CPU profile there)
 * A smoke run: --steps 1x50 --cross-node-steps 1x50 --duration 2 --warmup 1 --drain 2
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { TASKSET_AVAILABLE } from '../chat/proc.js';
import { SERVER_CORE } from '../chat/targets.js';
import { loadFlags, loadOptions, LOADGEN_CORE, parsePlan, type StepOptions, type StepPlan } from '../chat/step.js';
import { PrivateRedis } from '../../test/helpers/private-redis.js';
import { runClusterStep, type ClusterStepRecord, type Layout } from './cluster-step.js';
import { assumptions, costTable, goalLines, projectionTable, stepLine, stepTable } from './report.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1x1000,1x5000' },
    'cross-node-steps': { type: 'string', default: '1x100,1x1000' },
    rounds: { type: 'string', default: '1' },
    ...loadFlags(10),
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});

const parsePlans = (flag: string, s: string): StepPlan[] =>
  s
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => parsePlan(flag, p));
const plans = parsePlans('steps', values.steps);
const crossPlans = parsePlans('cross-node-steps', values['cross-node-steps']);
const label = (p: StepPlan): string => `${p.rooms}x${p.subscribers}`;
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a whole number, 1 or more');
const opts: StepOptions = loadOptions(values);

// Every size runs embedded and same-node; the cross-node sizes also cross-node.
const sizes = [...new Map([...plans, ...crossPlans].map((p) => [label(p), p])).values()];
const layoutsOf = (p: StepPlan): Layout[] => [
  ...(plans.some((q) => label(q) === label(p)) ? (['embedded', 'same-node'] as const) : (['same-node'] as const)),
  ...(crossPlans.some((q) => label(q) === label(p)) ? (['cross-node'] as const) : []),
];

console.log(`bench:cluster — ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(TASKSET_AVAILABLE ? `nodes pinned to CPU ${SERVER_CORE} (cross-node: the publishers' node on CPU ${LOADGEN_CORE}), load generator and redis-server to CPU ${LOADGEN_CORE} (taskset); PostgreSQL unpinned (idle while messages flow)` : 'taskset is missing: everything runs UNPINNED (numbers are less comparable)');
console.log(`steps: ${opts.warmupMs / 1000} s warm-up + ${opts.measureMs / 1000} s measured, ${opts.roomRate} msg/s per room from ${opts.publishers} publishers, ${opts.contentBytes}-byte contents`);

const redisServer = await PrivateRedis.start();
const admin = new Redis(redisServer.url);
// Redis would run on a machine of its own in production: keep it off the nodes' core.
const redisPid = /process_id:(\d+)/.exec(await admin.info('server'))?.[1];
if (TASKSET_AVAILABLE && redisPid !== undefined) spawnSync('taskset', ['-pc', String(LOADGEN_CORE), redisPid], { stdio: 'ignore' });
const records: ClusterStepRecord[][] = [];
try {
  for (let round = 0; round < rounds; round++) {
    if (rounds > 1) console.log(`\n## Round ${round + 1} of ${rounds}`);
    const mine: ClusterStepRecord[] = [];
    records.push(mine);
    for (const [i, plan] of sizes.entries()) {
      console.log(`\n# ${label(plan)}`);
      // Alternate the order from size to size and round to round, so no layout always goes first.
      const layouts = layoutsOf(plan);
      for (const layout of (round + i) % 2 === 0 ? layouts : [...layouts].reverse()) {
        try {
          const record = await runClusterStep(layout, plan, opts, { redisUrl: redisServer.url, admin }, values['cpu-prof']);
          mine.push(record);
          console.log(stepLine(record));
        } catch (err) {
          console.log(`  ${layout} ${label(plan)}: step failed: ${(err as Error).stack ?? String(err)}`);
        }
      }
    }
  }
} finally {
  admin.disconnect();
  await redisServer.stop();
}

for (const [i, mine] of records.entries()) {
  const title = rounds > 1 ? ` (round ${i + 1})` : '';
  console.log(`\n## Steps${title}\n\n${stepTable(mine)}`);
  console.log(`\n## Redis and PostgreSQL work per chat message${title}\n\n${costTable(mine)}`);
  console.log(`\n## Goals${title}\n\n${goalLines(mine)}`);
  console.log(`\n## Projection${title}\n\n${projectionTable(mine, opts.roomRate)}`);
}
console.log(`\n${assumptions(opts.roomRate)}`);
console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(records, null, 2));
