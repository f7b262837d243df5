/**
 * A uPlot line chart of one series over time (x in epoch seconds), as wide as its box; it
 * follows the box when the window (or a phone's orientation) changes.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

interface Props {
  readonly label: string;
  /** [x: epoch seconds, y: value] */
  readonly data: readonly [readonly number[], readonly number[]];
  readonly height?: number;
  /** The time axis always spans this many seconds up to the newest point, however few points there are. */
  readonly windowSeconds?: number;
}

export function RateChart({ label, data, height = 180, windowSeconds = 60 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { x: { time: true, range: (_u, _min, max) => [max - windowSeconds, max] }, y: { range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.2))] } },
        axes: [
          // Clock times only: uPlot's default adds a date line under the first tick, which collides at this width.
          { stroke: '#5d6578', grid: { stroke: '#eef0f4' }, space: 70, values: (_u, splits) => splits.map((s) => new Date(s * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })) },
          { stroke: '#5d6578', grid: { stroke: '#eef0f4' }, size: 40 },
        ],
        series: [{}, { label, stroke: '#2f5bd3', width: 2, fill: 'rgba(47, 91, 211, 0.12)', points: { show: false } }],
      },
      [data[0] as number[], data[1] as number[]],
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = undefined;
    };
  }, []);
  useEffect(() => {
    plot.current?.setData([data[0] as number[], data[1] as number[]]);
  }, [data]);
  return <div class="chart" ref={box} role="img" aria-label={`${label}, last ${windowSeconds} seconds`} />;
}

/** The last `n` one-second buckets of a counter, oldest first, ending at the current second. */
export class SecondBuckets {
  readonly #counts = new Map<number, number>();
  constructor(private readonly n = 60) {}

  add(count = 1, at = Date.now()): void {
    const s = Math.floor(at / 1000);
    this.#counts.set(s, (this.#counts.get(s) ?? 0) + count);
    for (const key of this.#counts.keys()) if (key < s - this.n) this.#counts.delete(key);
  }

  series(at = Date.now()): [number[], number[]] {
    const now = Math.floor(at / 1000);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let s = now - this.n + 1; s <= now; s++) {
      xs.push(s);
      ys.push(this.#counts.get(s) ?? 0);
    }
    return [xs, ys];
  }
}
