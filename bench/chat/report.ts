/** Prints step results as Markdown tables (readable in a terminal, pasteable into docs). */
import type { TargetName } from './targets.js';
import type { StepRecord } from './step.js';

const k = (n: number): string => (Number.isFinite(n) ? `${Math.round(n / 1000)} k` : '—');
const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '—');
const mb = (n: number): string => (n / 1024 / 1024).toFixed(0);
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : '—');

export const stepLabel = (r: Pick<StepRecord, 'plan'>): string => `${r.plan.rooms}×${r.plan.subscribers}`;

export function stepLine(r: StepRecord): string {
  const verdict = r.failures.length === 0 ? 'ok' : `NOT sustained: ${r.failures.join(', ')}`;
  return (
    `  ${r.target} ${stepLabel(r)}: ${k(r.deliveriesPerSecond)}/s of ${k(r.offeredPerSecond)}/s offered ` +
    `(${(r.result.sentInWindow / r.result.windowSeconds).toFixed(0)} msg/s sent), ` +
    `p50 ${ms(r.result.p50Ms)} ms, p99 ${ms(r.result.p99Ms)} ms, max ${ms(r.result.maxMs)} ms, ` +
    `server ${r.serverCpuPercent.toFixed(0)}% CPU, ${r.cpuMicrosPerDelivery.toFixed(2)} µs/delivery, RSS ${mb(r.rssLoadedBytes)} MB, ` +
    `load generator ${r.result.loadgenCpuPercent.toFixed(0)}% CPU — ${verdict}`
  );
}

export function stepTable(records: readonly StepRecord[]): string {
  const rows = [
    '| target | rooms × subscribers | connections | offered/s | deliveries/s | p50 ms | p99 ms | max ms | server CPU | CPU µs/delivery | RSS MB | idle B/conn | loadgen CPU | missing | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of records) {
    rows.push(
      `| ${r.target} | ${stepLabel(r)} | ${r.connections} | ${k(r.offeredPerSecond)} | ${k(r.deliveriesPerSecond)} | ${ms(r.result.p50Ms)} | ` +
        `${ms(r.result.p99Ms)} | ${ms(r.result.maxMs)} | ${r.serverCpuPercent.toFixed(0)}% | ${r.cpuMicrosPerDelivery.toFixed(2)} | ` +
        `${mb(r.rssLoadedBytes)} | ${Math.round(r.idleBytesPerConnection)} | ${r.result.loadgenCpuPercent.toFixed(0)}% | ${r.result.lost} | ` +
        `${r.failures.length === 0 ? 'sustained' : r.failures.join('; ')} |`,
    );
  }
  return rows.join('\n');
}

/** A subject target against a baseline target, run on the same steps. */
export interface Comparison {
  readonly subject: TargetName;
  readonly baseline: TargetName;
  readonly heading: string;
}

/** The comparisons printed when both targets ran; add a row with a new target. */
export const COMPARISONS: readonly Comparison[] = [
  { subject: 'parlor', baseline: 'naive', heading: 'Parlor / naive' },
  { subject: 'parlor', baseline: 'coalescing', heading: 'Parlor / coalescing' },
  { subject: 'parlor', baseline: 'parlor-base', heading: 'Parlor / Parlor built from BENCH_BASE_DIR' },
  { subject: 'parlor-chatlog', baseline: 'parlor', heading: 'Parlor with chat logging / Parlor' },
  { subject: 'parlor-review', baseline: 'parlor', heading: 'Parlor with review / Parlor' },
  { subject: 'parlor-presence', baseline: 'parlor', heading: 'Parlor with presence events / Parlor' },
  { subject: 'parlor-history', baseline: 'parlor', heading: 'Parlor with history and replay / Parlor' },
];

const delta = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) ? `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(1)}` : '—');

/**
 * `subject` against `baseline`, step by step: ratios of deliveries/s, messages/s, CPU per
 * delivery and idle bytes per connection, and the latency added (ms). A step run N times pairs
 * its i-th runs.
 */
export function comparisonTable(records: readonly StepRecord[], { subject, baseline }: Comparison): string {
  const q = `${subject} / ${baseline}`;
  const rows = [
    `| step | deliveries/s ${q} | msg/s ${q} | p50 ms added | p99 ms added | CPU µs/delivery ${q} | idle B/conn ${q} |`,
    '|---|---|---|---|---|---|---|',
  ];
  const runs = (target: TargetName, label: string) => records.filter((r) => r.target === target && stepLabel(r) === label);
  const labels = [...new Set(records.filter((r) => r.target === subject).map(stepLabel))];
  for (const label of labels) {
    const bases = runs(baseline, label);
    runs(subject, label).forEach((s, i) => {
      const b = bases[i];
      if (b === undefined) return;
      rows.push(
        `| ${label} | ${ratio(s.deliveriesPerSecond, b.deliveriesPerSecond)} | ${ratio(sentPerSecond(s), sentPerSecond(b))} | ` +
          `${delta(s.result.p50Ms, b.result.p50Ms)} | ${delta(s.result.p99Ms, b.result.p99Ms)} | ` +
          `${ratio(s.cpuMicrosPerDelivery, b.cpuMicrosPerDelivery)} | ${ratio(s.idleBytesPerConnection, b.idleBytesPerConnection)} |`,
      );
    });
  }
  return rows.length > 2 ? rows.join('\n') : `(no step ran against both ${subject} and ${baseline})`;
}

const sentPerSecond = (r: StepRecord): number => r.result.sentInWindow / r.result.windowSeconds;

function highestSustained(records: readonly StepRecord[], target: TargetName): StepRecord | undefined {
  return records
    .filter((r) => r.target === target && r.failures.length === 0)
    .reduce<StepRecord | undefined>((a, r) => (a === undefined || r.deliveriesPerSecond > a.deliveriesPerSecond ? r : a), undefined);
}

/** Highest sustained deliveries/s (and messages/s) per target, and each comparison's ratio of them. */
export function ceilingLines(records: readonly StepRecord[], targets: readonly TargetName[]): string {
  const lines = targets.map((t) => {
    const best = highestSustained(records, t);
    const most = Math.max(...records.filter((r) => r.target === t).map((r) => r.deliveriesPerSecond));
    const sustained = best === undefined ? 'no step sustained' : `highest sustained step ${stepLabel(best)}, ${k(best.deliveriesPerSecond)} deliveries/s (${sentPerSecond(best).toFixed(0)} msg/s), p99 ${ms(best.result.p99Ms)} ms`;
    return `- ${t}: ${sustained}; most deliveries/s in any step (sustained or not) ${k(most)}`;
  });
  for (const { subject, baseline } of COMPARISONS) {
    const s = highestSustained(records, subject);
    const b = highestSustained(records, baseline);
    if (s !== undefined && b !== undefined) {
      lines.push(`- highest sustained deliveries/s, ${subject} / ${baseline}: ${ratio(s.deliveriesPerSecond, b.deliveriesPerSecond)} (coarse: the steps are discrete)`);
    }
  }
  return lines.join('\n');
}
