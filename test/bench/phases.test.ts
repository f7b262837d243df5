/** bench:chat's interleaved runs: the ABBA switches, the load generator's per-side latency, the table. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_PHASE, phaseSwitches, PLAIN, REVIEWED } from '../../bench/chat/phases.js';
import { Recorder } from '../../bench/chat/recorder.js';
import { interleavedComparison } from '../../bench/chat/review-report.js';

test('the window is split into groups of four blocks, plain reviewed reviewed plain, listing only real switches', () => {
  assert.deepEqual(phaseSwitches(16_000, 2_000), [
    { atMs: 0, phase: PLAIN },
    { atMs: 2_000, phase: REVIEWED },
    { atMs: 6_000, phase: PLAIN },
    { atMs: 10_000, phase: REVIEWED },
    { atMs: 14_000, phase: PLAIN },
  ]);
  // Both sides get the same time at the same mean time.
  const sides = (switches: ReturnType<typeof phaseSwitches>, measureMs: number): number[][] =>
    [PLAIN, REVIEWED].map((phase) => {
      const spans = switches.flatMap((s, i) => (s.phase === phase ? [[s.atMs, switches[i + 1]?.atMs ?? measureMs] as const] : []));
      const total = spans.reduce((a, [from, to]) => a + to - from, 0);
      const centre = spans.reduce((a, [from, to]) => a + ((to - from) * (from + to)) / 2, 0) / total;
      return [total, centre];
    });
  assert.deepEqual(sides(phaseSwitches(30_000, 2_000), 30_000), [
    [15_000, 15_000],
    [15_000, 15_000],
  ]);
  // 30 s of 2 s blocks would be 15: it becomes 16 blocks of 1.875 s.
  assert.equal(phaseSwitches(30_000, 2_000)[1]!.atMs, 1_875);
  // Fewer than four blocks' worth is still one group of four.
  assert.deepEqual(phaseSwitches(3_000, 2_000).map((s) => s.atMs), [0, 750, 2_250]);
  assert.throws(() => phaseSwitches(10_000, 0));
});

/** One room, one publisher, one subscriber (connection 1); the window covers everything after t=1. */
function recorder(): Recorder {
  const rec = new Recorder(1, 1, 100, 2);
  rec.windowStartUs = 1;
  return rec;
}

test('deliveries count for the side their message was sent in, not the one they arrive in', () => {
  const rec = recorder();
  rec.setPhase(PLAIN, 1_000);
  rec.recordSend(0, 0, 0, 1_000);
  rec.setPhase(REVIEWED, 2_000);
  rec.recordSend(0, 0, 1, 2_000);
  // Message 0 arrives after the switch, 3 ms after it was sent; message 1 after 9 ms.
  rec.recordDelivery(1, 0, 0, 0, 1_000, 4_000);
  rec.recordDelivery(1, 0, 0, 1, 2_000, 11_000);
  assert.deepEqual(rec.phaseStats(PLAIN), { deliveries: 1, p50Ms: 3.1, p99Ms: 3.1 });
  assert.deepEqual(rec.phaseStats(REVIEWED), { deliveries: 1, p50Ms: 9.1, p99Ms: 9.1 });
  // The whole-run histogram has both.
  assert.equal(rec.percentileMs(100), 9.1);
});

test('messages sent while settling after a switch, or with no side set, count for neither', () => {
  const rec = recorder();
  rec.setPhase(REVIEWED, 5_000); // switched at 4,000 with 1 ms of settling
  rec.recordSend(0, 0, 0, 4_500);
  rec.recordSend(0, 0, 1, 5_000);
  rec.setPhase(NO_PHASE, 0);
  rec.recordSend(0, 0, 2, 6_000);
  for (const seq of [0, 1, 2]) rec.recordDelivery(1, 0, 0, seq, 4_500 + 500 * seq, 20_000);
  assert.equal(rec.phaseStats(REVIEWED).deliveries, 1);
  assert.equal(rec.phaseStats(REVIEWED).p99Ms, 15.1);
  assert.equal(rec.phaseStats(PLAIN).deliveries, 0);
  assert.ok(Number.isNaN(rec.phaseStats(PLAIN).p99Ms));
});

test('the interleaved table gives each run the p99 review adds, and the mean per step', () => {
  type Rec = Parameters<typeof interleavedComparison>[0][number];
  const run = (plainP99: number, reviewedP99: number, target = 'parlor-review-ab'): Rec =>
    ({
      target,
      plan: { rooms: 1, subscribers: 1000 },
      failures: [],
      result: { phases: [{ deliveries: 10, p50Ms: 1, p99Ms: plainP99 }, { deliveries: 12, p50Ms: 2, p99Ms: reviewedP99 }] },
    }) as unknown as Rec;
  const table = interleavedComparison([run(10, 12.5), run(10, 17), run(10, 90, 'parlor-review')]);
  assert.match(table, /\| 1×1000 \| 10 \/ 12 \| 1\.0 → 2\.0 \| 10\.0 → 12\.5 \| 2\.5 \| sustained \|/);
  assert.match(table, /\| 10\.0 → 17\.0 \| 7\.0 \(over\) \|/);
  assert.match(table, /mean of 2 runs \| \| \| \| 4\.8 \|/);
  assert.doesNotMatch(table, /90\.0/);
  assert.equal(interleavedComparison([]), '(no parlor-review-ab run)');
});
