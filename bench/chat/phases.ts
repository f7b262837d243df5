/**
 * Interleaved runs (`parlor-review-ab`): one server, one set of connections, and during the
 * measured window the rooms' review handler switched off and on in turn, so that the latency
 * with and without review is compared over the same seconds of the same run. Separate runs
 * differ by more than review costs on this machine (its speed drifts by ±10 % within minutes,
 * and each run has its own few bad pauses); in one run both sides share the drift.
 *
 * The blocks go plain, reviewed, reviewed, plain, plain, … (ABBA, see phaseSwitches). Messages
 * sent in the first `settleMs` after a switch count for neither side: they may wait behind the
 * other side's backlog. The warm-up is at least MIN_WARMUP_MS (a server still speeding up in
 * the first seconds of the window favours the side that comes later) and the window at least
 * MIN_WINDOW_MS.
 */

/**
 * Shortest warm-up of an interleaved step, ms. With 3 s, a check run with review off on both
 * sides (`--ab-control`) came out 1–3.5 ms faster at p99 on the side whose blocks came later.
 */
export const MIN_WARMUP_MS = 10_000;
/**
 * Shortest measured window of an interleaved step, ms: 16 blocks of 2 s, as in the runs
 * docs/benchmarks.md reports. Each side's p99 rests on its worst 1 % of deliveries, a few
 * moments of the run; the default 5 s window would give each side 2.5 s of them.
 */
export const MIN_WINDOW_MS = 32_000;

/** Index of a side's histogram. */
export type Phase = 0 | 1;
export const PLAIN: Phase = 0;
export const REVIEWED: Phase = 1;
export const PHASES: readonly Phase[] = [PLAIN, REVIEWED];
/** `sentPhase` of a message that counts for neither side. */
export const NO_PHASE = 255;

export interface PhaseSwitch {
  /** Milliseconds after the window's start. */
  readonly atMs: number;
  readonly phase: Phase;
}

/**
 * When the window of `measureMs` switches sides: groups of four blocks, each plain, reviewed,
 * reviewed, plain (ABBA), so both sides have the same number of blocks at the same mean time
 * within every group: a drift that is linear over a group weighs on both alike. The number of
 * blocks is the multiple of four nearest `measureMs / blockMs` (at least four); the blocks
 * share the window evenly. The rooms are created reviewed, so the first block is already a
 * switch. Only real switches are listed: two blocks of the same side in a row are one stretch.
 */
export function phaseSwitches(measureMs: number, blockMs: number): PhaseSwitch[] {
  if (!(blockMs > 0) || !(measureMs > 0)) throw new Error('window and block lengths must be positive');
  const blocks = 4 * Math.max(1, Math.round(measureMs / blockMs / 4));
  const switches: PhaseSwitch[] = [];
  for (let block = 0; block < blocks; block++) {
    const phase: Phase = ((block + 1) >> 1) % 2 === 0 ? PLAIN : REVIEWED;
    if (switches.at(-1)?.phase !== phase) switches.push({ atMs: (block * measureMs) / blocks, phase });
  }
  return switches;
}
