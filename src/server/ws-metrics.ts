/** Chat gauges and counters on the process's /metrics registry, read when scraped. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WsGateway } from './ws-gateway.js';

export function registerChatMetrics(registry: Registry, gateway: WsGateway): void {
  new Gauge({
    name: 'parlor_chat_connections',
    help: 'Open chat WebSocket connections on this node',
    registers: [registry],
    collect() {
      this.set(gateway.connectionCount);
    },
  });
  let reported = 0;
  new Counter({
    name: 'parlor_chat_slow_readers_dropped_total',
    help: 'Chat connections terminated because their unsent bytes passed the bound',
    registers: [registry],
    collect() {
      this.inc(gateway.droppedSlowReaders - reported);
      reported = gateway.droppedSlowReaders;
    },
  });
}
