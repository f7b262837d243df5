/**
 * Control-plane request metrics: a count by operation and HTTP status, and a latency histogram
 * by operation. Both label sets are bounded: operations come from the model (plus `unknown`),
 * statuses from the error catalogue.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestObserver } from './http-server.js';

/** Latency buckets, in seconds: a store read takes well under a millisecond, a slow PostgreSQL seconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ControlPlaneMetrics implements RequestObserver {
  readonly #requests: Counter<'operation' | 'status'>;
  readonly #duration: Histogram<'operation'>;

  constructor(registry: Registry) {
    this.#requests = new Counter({
      name: 'parlor_control_plane_requests_total',
      help: 'Control-plane requests answered, by operation (unknown when the path names none) and HTTP status code',
      labelNames: ['operation', 'status'],
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: 'parlor_control_plane_request_duration_seconds',
      help: 'Time from a control-plane request\'s arrival to its answer, by operation, in seconds',
      labelNames: ['operation'],
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  observe(operation: string, status: number, seconds: number): void {
    this.#requests.inc({ operation, status: String(status) });
    this.#duration.observe({ operation }, seconds);
  }
}
