/** Prints step results as Markdown tables (readable in a terminal, pasteable into docs/benchmarks.md). */
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
    `load generator ${r.result.loadgenCpuPercent.toFixed(0)}% CPU — ${verdict}` +
    (r.result.phases === undefined
      ? ''
      : `\n    without / with review (interleaved): p50 ${r.result.phases.map((s) => ms(s.p50Ms)).join(' / ')} ms, ` +
        `p99 ${r.result.phases.map((s) => ms(s.p99Ms)).join(' / ')} ms, deliveries ${r.result.phases.map((s) => s.deliveries).join(' / ')}`)
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

/** `subject` divided by a baseline, step by step (deliveries/s, p99, CPU per delivery, idle bytes). */
export function ratioTable(records: readonly StepRecord[], baseline: TargetName, subject: TargetName = 'parlor'): string {
  const parlor = records.filter((r) => r.target === subject);
  const base = new Map(records.filter((r) => r.target === baseline).map((r) => [stepLabel(r), r]));
  const q = `${subject} / ${baseline}`;
  const rows = [`| step | deliveries/s ${q} | p99 ${q} | CPU µs/delivery ${q} | idle B/conn ${q} |`, '|---|---|---|---|---|'];
  for (const p of parlor) {
    const b = base.get(stepLabel(p));
    if (b === undefined) continue;
    rows.push(
      `| ${stepLabel(p)} | ${ratio(p.deliveriesPerSecond, b.deliveriesPerSecond)} | ${ratio(p.result.p99Ms, b.result.p99Ms)} | ` +
        `${ratio(p.cpuMicrosPerDelivery, b.cpuMicrosPerDelivery)} | ${ratio(p.idleBytesPerConnection, b.idleBytesPerConnection)} |`,
    );
  }
  return rows.length > 2 ? rows.join('\n') : `(no step ran against both ${subject} and ${baseline})`;
}

function highestSustained(records: readonly StepRecord[], target: TargetName): StepRecord | undefined {
  return records
    .filter((r) => r.target === target && r.failures.length === 0)
    .reduce<StepRecord | undefined>((a, r) => (a === undefined || r.deliveriesPerSecond > a.deliveriesPerSecond ? r : a), undefined);
}

/** Highest sustained deliveries/s per target, and Parlor's against each baseline's. */
export function ceilingLines(records: readonly StepRecord[], targets: readonly TargetName[]): string {
  const lines = targets.map((t) => {
    const best = highestSustained(records, t);
    const most = Math.max(...records.filter((r) => r.target === t).map((r) => r.deliveriesPerSecond));
    const sustained = best === undefined ? 'no step sustained' : `highest sustained step ${stepLabel(best)}, ${k(best.deliveriesPerSecond)} deliveries/s, p99 ${ms(best.result.p99Ms)} ms`;
    return `- ${t}: ${sustained}; most deliveries/s in any step (sustained or not) ${k(most)}`;
  });
  const parlor = highestSustained(records, 'parlor');
  for (const baseline of ['naive', 'coalescing'] as const) {
    const base = highestSustained(records, baseline);
    if (parlor !== undefined && base !== undefined) {
      lines.push(`- highest sustained deliveries/s, Parlor / ${baseline}: ${ratio(parlor.deliveriesPerSecond, base.deliveriesPerSecond)} (coarse: the steps are discrete)`);
    }
  }
  return lines.join('\n');
}
