import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/**
 * Reads a Parlor's /metrics as Prometheus text: every sample by name and labels (label order
 * does not matter), and the metric family names from the `# TYPE` lines.
 */
export interface Scraped {
  readonly text: string;
  /** Family names (`# TYPE` lines). */
  readonly names: ReadonlySet<string>;
  /** The sample `name{labels}`; 0 when absent (a counter not counted yet). */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
  /** Whether the sample exists at all. */
  has(name: string, labels?: Readonly<Record<string, string>>): boolean;
}

const key = (name: string, labels: Readonly<Record<string, string>>): string =>
  name + JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Scraped {
  const samples = new Map<string, number>();
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) names.add(line.split(' ')[2]!);
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) labels[k!] = v!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.set(key(m[1]!, labels), Number(m[3]));
  }
  return {
    text,
    names,
    value: (name, labels = {}) => samples.get(key(name, labels)) ?? 0,
    has: (name, labels = {}) => samples.has(key(name, labels)),
  };
}

export async function scrape(endpoint: string, token?: string): Promise<Scraped> {
  const res = await fetch(`${endpoint}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** The change of each sample between two scrapes. */
export function delta(before: Scraped, after: Scraped) {
  return (name: string, labels?: Readonly<Record<string, string>>): number => after.value(name, labels) - before.value(name, labels);
}

const DOCS = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');

/** Every parlor_ family on the scrape is named in docs/metrics.md (in backquotes), so the docs cannot drift. */
export function assertDocumented(scraped: Scraped): void {
  const missing = [...scraped.names].filter((n) => n.startsWith('parlor_') && !DOCS.includes(`\`${n}\``));
  assert.deepEqual(missing, [], 'metrics missing from docs/metrics.md');
}
