/**
 * GET /metrics (Prometheus text, same origin) read for the overview. A metric this server does
 * not export is simply absent: every reader here copes with that. With PARLOR_METRICS_TOKEN set,
 * the token the user pasted is sent as a bearer token; it stays in sessionStorage.
 */
import type { Session } from './session';

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export class Metrics {
  readonly #samples = new Map<string, Sample[]>();

  constructor(text: string) {
    for (const line of text.split('\n')) {
      // A declared metric without samples yet (a labelled counter before its first count) is 0, not absent.
      const declared = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /.exec(line);
      if (declared && !this.#samples.has(declared[1]!)) this.#samples.set(declared[1]!, []);
      if (line === '' || line.startsWith('#')) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels: Record<string, string> = {};
      for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      const list = this.#samples.get(m[1]!) ?? [];
      list.push({ labels, value: Number(m[4]) });
      this.#samples.set(m[1]!, list);
    }
  }

  has(name: string): boolean {
    return this.#samples.has(name);
  }

  samples(name: string): readonly Sample[] {
    return this.#samples.get(name) ?? [];
  }

  /** The sum of a metric's samples whose labels include `match`; undefined when it is not exported. */
  sum(name: string, match: Readonly<Record<string, string>> = {}): number | undefined {
    const list = this.#samples.get(name);
    if (!list) return undefined;
    return list.filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
  }

  /** Sums by the value of one label: `{delivered: 10, rate_limit: 2}`. */
  byLabel(name: string, label: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.samples(name)) {
      const key = s.labels[label] ?? '';
      out.set(key, (out.get(key) ?? 0) + s.value);
    }
    return out;
  }
}

export type MetricsResult =
  | { readonly kind: 'ok'; readonly metrics: Metrics; readonly at: number }
  | { readonly kind: 'token-needed'; readonly rejected: boolean }
  | { readonly kind: 'failed'; readonly message: string };

const TOKEN_KEY = 'parlor-console.metrics-token';

export function metricsToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function setMetricsToken(token: string | undefined): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function readMetrics(session: Session): Promise<MetricsResult> {
  const token = metricsToken();
  if (session.info.metricsToken && !token) return { kind: 'token-needed', rejected: false };
  const response = await fetch('/metrics', { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  if (response.status === 401) return { kind: 'token-needed', rejected: token !== undefined };
  if (!response.ok) return { kind: 'failed', message: `GET /metrics answered HTTP ${response.status}` };
  return { kind: 'ok', metrics: new Metrics(await response.text()), at: Date.now() };
}

export interface Readyz {
  readonly httpStatus: number;
  readonly status: string;
  readonly node: string;
  readonly checks: Readonly<Record<string, string>>;
}

export async function readReadyz(): Promise<Readyz> {
  const response = await fetch('/readyz', { cache: 'no-store' });
  const body = (await response.json()) as Partial<Readyz>;
  return { httpStatus: response.status, status: body.status ?? 'unknown', node: body.node ?? '', checks: body.checks ?? {} };
}
