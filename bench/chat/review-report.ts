/**
 * The review comparisons of bench:chat: for each step run against both `parlor` and
 * `parlor-review`, the p99 latency review adds (goal: under 5 ms) and the messages per second
 * each sustained; then the highest sustained message rate with review against without (goal:
 * above half). For `parlor-review-ab`, the same p99 difference within each run (phases.ts).
 */
import { PLAIN, REVIEWED } from './phases.js';
import { stepLabel } from './report.js';
import type { StepRecord } from './step.js';

const perSecond = (r: StepRecord): number => r.result.sentInWindow / r.result.windowSeconds;

function highestSustainedRate(records: readonly StepRecord[]): number {
  return Math.max(0, ...records.filter((r) => r.failures.length === 0).map(perSecond));
}

/** Records by step label, in run order: a step repeated N times pairs its i-th runs. */
function byStep(records: readonly StepRecord[]): Map<string, StepRecord[]> {
  const map = new Map<string, StepRecord[]>();
  for (const r of records) {
    const label = stepLabel(r);
    map.set(label, [...(map.get(label) ?? []), r]);
  }
  return map;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export function reviewComparison(records: readonly StepRecord[]): string {
  const plain = records.filter((r) => r.target === 'parlor');
  const reviewedRecords = records.filter((r) => r.target === 'parlor-review');
  const reviewed = byStep(reviewedRecords);
  const rows = [
    '| step | msg/s without → with review | p50 ms without → with | p99 ms without → with | p99 added ms (goal < 5) | verdict with review |',
    '|---|---|---|---|---|---|',
  ];
  for (const [label, runs] of byStep(plain)) {
    const pairs = runs.flatMap((p, i) => {
      const r = reviewed.get(label)?.[i];
      return r === undefined ? [] : [[p, r] as const];
    });
    for (const [p, r] of pairs) {
      const added = r.result.p99Ms - p.result.p99Ms;
      rows.push(
        `| ${label} | ${perSecond(p).toFixed(0)} → ${perSecond(r).toFixed(0)} | ${p.result.p50Ms.toFixed(1)} → ${r.result.p50Ms.toFixed(1)} | ` +
          `${p.result.p99Ms.toFixed(1)} → ${r.result.p99Ms.toFixed(1)} | ${added.toFixed(1)}${added < 5 ? '' : ' (over)'} | ` +
          `${r.failures.length === 0 ? 'sustained' : r.failures.join('; ')} |`,
      );
    }
    if (pairs.length > 1) {
      const added = mean(pairs.map(([p, r]) => r.result.p99Ms - p.result.p99Ms));
      rows.push(`| ${label}, mean of ${pairs.length} pairs | | | | ${added.toFixed(1)}${added < 5 ? '' : ' (over)'} | |`);
    }
  }
  if (rows.length === 2) return '(no step ran against both parlor and parlor-review)';
  const best = highestSustainedRate(plain);
  const bestReviewed = highestSustainedRate(reviewedRecords);
  const ratio = best > 0 ? bestReviewed / best : Number.NaN;
  rows.push(
    '',
    'Separate runs differ by the drift of the machine between them as well as by review; parlor-review-ab compares both within each run.',
    `Highest sustained messages/s: ${best.toFixed(0)} without review, ${bestReviewed.toFixed(0)} with review ` +
      `(${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—'}; goal above 0.5×; coarse: the steps are discrete).`,
  );
  return rows.join('\n');
}

/** Per `parlor-review-ab` run: latency of the blocks without review against those with it. */
export function interleavedComparison(records: readonly StepRecord[]): string {
  const rows = [
    '| step | deliveries counted without / with review | p50 ms without → with | p99 ms without → with | p99 added ms (goal < 5) | verdict of the run |',
    '|---|---|---|---|---|---|',
  ];
  for (const [label, runs] of byStep(records.filter((r) => r.target === 'parlor-review-ab'))) {
    const added: number[] = [];
    for (const r of runs) {
      const plain = r.result.phases?.[PLAIN];
      const reviewed = r.result.phases?.[REVIEWED];
      if (plain === undefined || reviewed === undefined || plain.deliveries === 0 || reviewed.deliveries === 0) {
        rows.push(`| ${label} | (a side counted nothing) | | | | ${r.failures.join('; ') || 'sustained'} |`);
        continue;
      }
      const delta = reviewed.p99Ms - plain.p99Ms;
      added.push(delta);
      rows.push(
        `| ${label} | ${plain.deliveries} / ${reviewed.deliveries} | ${plain.p50Ms.toFixed(1)} → ${reviewed.p50Ms.toFixed(1)} | ` +
          `${plain.p99Ms.toFixed(1)} → ${reviewed.p99Ms.toFixed(1)} | ${delta.toFixed(1)}${delta < 5 ? '' : ' (over)'} | ${r.failures.join('; ') || 'sustained'} |`,
      );
    }
    if (added.length > 1) {
      const m = mean(added);
      rows.push(`| ${label}, mean of ${added.length} runs | | | | ${m.toFixed(1)}${m < 5 ? '' : ' (over)'} | |`);
    }
  }
  return rows.length > 2 ? rows.join('\n') : '(no parlor-review-ab run)';
}
