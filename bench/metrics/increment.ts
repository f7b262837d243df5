/**
 * `npm run bench:metrics` — what one count on the message path costs, for each way of keeping
 * a labelled Prometheus counter (docs/adr/0065-metrics-counted-as-plain-numbers.md): a plain
 * number field mirrored at scrape (what Parlor does; the baseline), prom-client's pre-bound
 * label child (`counter.labels(...)` once, `.inc()` per message), `counter.inc({labels})`, and
 * an unlabelled `counter.inc()`. Each runs N increments over the outcomes in rounds, the order
 * alternating between rounds; printed: nanoseconds per increment and the garbage collections
 * during a round (medians of the rounds): a way that allocates per increment makes the
 * collector run, one that allocates nothing does not.
 *
 * Options: --n N (increments per round, default 2,000,000) --rounds R (default 5)
 */
import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Counter, Registry } from 'prom-client';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000000' }, rounds: { type: 'string', default: '5' } } });
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const OUTCOMES = ['delivered', 'validation', 'rate_limit', 'slow_mode'] as const;
type Outcome = (typeof OUTCOMES)[number];

const registry = new Registry();
const labelled = new Counter({ name: 'bench_labelled_total', help: 'h', labelNames: ['outcome'], registers: [registry] });
const bound = Object.fromEntries(OUTCOMES.map((o) => [o, labelled.labels(o)])) as Record<Outcome, { inc(v?: number): void }>;
const plain = new Counter({ name: 'bench_plain_total', help: 'h', registers: [registry] });
const counts: Record<Outcome, number> = { delivered: 0, validation: 0, rate_limit: 0, slow_mode: 0 };

// Mostly `delivered`, as on a busy chat node.
const pick = (i: number): Outcome => OUTCOMES[(i & 15) === 0 ? (i >> 4) & 3 : 0]!;

const WAYS: Record<string, () => void> = {
  'plain number field (Parlor)': () => {
    for (let i = 0; i < N; i++) counts[pick(i)]++;
  },
  'pre-bound label child': () => {
    for (let i = 0; i < N; i++) bound[pick(i)].inc();
  },
  'inc({ outcome })': () => {
    for (let i = 0; i < N; i++) labelled.inc({ outcome: pick(i) });
  },
  'unlabelled inc()': () => {
    for (let i = 0; i < N; i++) plain.inc();
  },
};

// Young-generation collections during a way's run: a way that allocates per increment makes
// the collector run; one that allocates nothing does not.
let collections = 0;
new PerformanceObserver((list) => (collections += list.getEntries().length)).observe({ entryTypes: ['gc'] });
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

const ns: Record<string, number[]> = {};
const gcs: Record<string, number[]> = {};
const names = Object.keys(WAYS);
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) {
    await settle();
    const collectionsBefore = collections;
    const started = process.hrtime.bigint();
    WAYS[name]!();
    const elapsed = Number(process.hrtime.bigint() - started);
    await settle(); // gc entries are delivered asynchronously
    (ns[name] ??= []).push(elapsed / N);
    (gcs[name] ??= []).push(collections - collectionsBefore);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(ns[names[0]!]!);
console.log(`bench:metrics — ${N.toLocaleString('en')} increments per round, ${ROUNDS} rounds (medians), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const name of names) {
  const t = median(ns[name]!);
  console.log(`${name.padEnd(30)} ${t.toFixed(1).padStart(7)} ns/increment  ×${(t / base).toFixed(1).padStart(5)} the baseline   ${String(median(gcs[name]!)).padStart(4)} collections/round`);
}
