/**
 * Prometheus counters that mirror running totals kept as plain numbers by the parts that count
 * (an increment there allocates nothing); the registry reads them when scraped. The totals
 * must only grow.
 */
import { Counter, type Registry } from 'prom-client';

/** A counter without labels mirroring `read()`. */
export function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): void {
  let reported = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      this.inc(now - reported);
      reported = now;
    },
  });
}

/**
 * A counter with one label whose values are the closed set `values`, mirroring `read()[value]`
 * for each; every value is exported from the first scrape on (at 0 until counted), so rates and
 * alerts over it need no "absent" special case.
 */
export function mirroredLabelledCounter<V extends string>(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  values: readonly V[],
  read: () => Readonly<Record<V, number>>,
): void {
  const reported = new Map<V, number>(values.map((v) => [v, 0]));
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      const now = read();
      for (const value of values) {
        this.inc({ [label]: value }, now[value] - reported.get(value)!);
        reported.set(value, now[value]);
      }
    },
  });
}
