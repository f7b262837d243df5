/** Chat and HTTP gauges and counters on the process's /metrics registry, read when scraped. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { HttpStats } from './http-server.js';
import type { WsGateway } from './ws-gateway.js';

/** A counter mirroring a running total kept elsewhere (read at scrape time). */
function totalCounter(registry: Registry, name: string, help: string, read: () => number): void {
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

export function registerChatMetrics(registry: Registry, gateway: WsGateway): void {
  new Gauge({
    name: 'parlor_chat_connections',
    help: 'Open chat WebSocket connections on this node',
    registers: [registry],
    collect() {
      this.set(gateway.connectionCount);
    },
  });
  totalCounter(registry, 'parlor_chat_slow_readers_dropped_total', 'Chat connections terminated because their unsent bytes passed the bound', () => gateway.droppedSlowReaders);
  totalCounter(registry, 'parlor_chat_policy_closes_total', 'Chat connections closed 1008 for sending over their request budget for too long', () => gateway.policyCloses);
  totalCounter(registry, 'parlor_chat_refused_per_ip_total', 'Chat upgrades refused 503 by the per-address connection cap', () => gateway.refusedPerIp);
}

export function registerHttpMetrics(registry: Registry, stats: HttpStats): void {
  new Gauge({
    name: 'parlor_http_sockets',
    help: 'Open sockets that are not chat WebSockets (requests in progress, idle keep-alive, slow clients)',
    registers: [registry],
    collect() {
      this.set(stats.openSockets);
    },
  });
  totalCounter(registry, 'parlor_http_request_timeouts_total', 'Requests answered 408 because the head or body did not arrive in time', () => stats.timeouts);
  totalCounter(registry, 'parlor_http_oversized_heads_total', 'Requests answered 431 because the head was too large', () => stats.oversizedHeads);
  totalCounter(registry, 'parlor_http_sockets_refused_total', 'Sockets refused at accept because too many non-chat sockets were open', () => stats.refusedSockets);
}
