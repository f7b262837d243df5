/**
 * Readiness (`GET /readyz`): whether this node can take new work. Ready once started, while
 * every shared service answers a round trip in time; not ready while one does not, and from
 * the first moment of a shutdown (so a load balancer stops sending new connections before the
 * node sends its chat clients away). Also the cluster metrics: each service's round-trip time,
 * whether it is up, and how often the node reconnected to it, probed every few seconds.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ServiceProbe } from './backend.js';

export interface ReadyzAnswer {
  readonly status: 200 | 503;
  readonly body: {
    readonly status: 'ready' | 'unavailable';
    readonly node: string;
    /** Service → `up` / `down`; `shutdown: draining` while the node drains. */
    readonly checks: Readonly<Record<string, string>>;
  };
}

/** A round trip slower than this counts as down, in ms. */
export const PROBE_TIMEOUT_MS = 1000;
/** How often the metrics probe runs, in ms. */
export const PROBE_INTERVAL_MS = 5000;

export class Readiness {
  #state: 'starting' | 'ready' | 'draining' = 'starting';
  #node = '';
  #timer: NodeJS.Timeout | undefined;
  readonly #rtt: Histogram<'service'> | undefined;
  readonly #up: Gauge<'service'> | undefined;

  constructor(
    private readonly probes: readonly ServiceProbe[],
    metrics: Registry,
  ) {
    if (probes.length === 0) return;
    this.#rtt = new Histogram({
      name: 'parlor_cluster_round_trip_seconds',
      help: 'Round-trip time of a probe (PING / SELECT 1) to a shared service, in seconds',
      labelNames: ['service'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [metrics],
    });
    this.#up = new Gauge({ name: 'parlor_cluster_service_up', help: '1 when the last probe of a shared service answered in time, else 0', labelNames: ['service'], registers: [metrics] });
    const reported = new Map<string, number>(probes.map((p) => [p.name, 0]));
    new Counter({
      name: 'parlor_cluster_reconnects_total',
      help: 'Reconnections to a shared service after losing it',
      labelNames: ['service'],
      registers: [metrics],
      collect() {
        for (const probe of probes) {
          const now = probe.reconnects();
          this.inc({ service: probe.name }, now - (reported.get(probe.name) ?? 0));
          reported.set(probe.name, now);
        }
      },
    });
  }

  /** The node serves: ready (while its services answer), under this name. Starts the metrics probe. */
  serving(node: string): void {
    this.#node = node;
    this.#state = 'ready';
    if (this.probes.length > 0 && this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#probeAll(), PROBE_INTERVAL_MS);
      this.#timer.unref();
    }
  }

  /** The node shuts down: not ready from now on. */
  draining(): void {
    this.#state = 'draining';
  }

  get isDraining(): boolean {
    return this.#state === 'draining';
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async answer(): Promise<ReadyzAnswer> {
    const checks: Record<string, string> = await this.#probeAll();
    if (this.#state === 'draining') checks.shutdown = 'draining';
    const ready = this.#state === 'ready' && Object.values(checks).every((v) => v === 'up');
    return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'unavailable', node: this.#node, checks } };
  }

  async #probeAll(): Promise<Record<string, 'up' | 'down'>> {
    const results = await Promise.all(this.probes.map(async (probe) => [probe.name, await this.#probe(probe)] as const));
    return Object.fromEntries(results);
  }

  async #probe(probe: ServiceProbe): Promise<'up' | 'down'> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([probe.ping(), timeout]);
      this.#rtt?.observe({ service: probe.name }, (performance.now() - started) / 1000);
      this.#up?.set({ service: probe.name }, 1);
      return 'up';
    } catch {
      this.#up?.set({ service: probe.name }, 0);
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}
