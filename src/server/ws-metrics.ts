/**
 * Chat and HTTP gauges and counters on the process's /metrics registry, read when scraped from
 * totals the gateway, the chat core and the HTTP server keep as plain numbers. No label names a
 * room or a user (unbounded); docs/metrics.md lists them all.
 */
import { Gauge, type Registry } from 'prom-client';
import type { ChatService } from '../chat/chat-service.js';
import { MESSAGE_OUTCOMES } from '../chat/chat-counts.js';
import { mirroredCounter, mirroredLabelledCounter } from '../lib/mirrored-counter.js';
import type { HttpStats } from './http-server.js';
import { CONNECTION_REFUSALS, type WsGateway } from './ws-gateway.js';

function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

export function registerChatMetrics(registry: Registry, gateway: WsGateway, chat: ChatService): void {
  gauge(registry, 'parlor_chat_connections', 'Open chat WebSocket connections on this node', () => gateway.connectionCount);
  gauge(registry, 'parlor_chat_rooms', 'Rooms with at least one chat connection (open or being admitted) on this node', () => chat.hub.roomCount);
  mirroredCounter(registry, 'parlor_chat_connections_opened_total', 'Chat WebSocket connections opened on this node', () => gateway.openedTotal);
  mirroredLabelledCounter(
    registry,
    'parlor_chat_connections_refused_total',
    'Chat upgrades that opened no connection, by reason (handshake, shutting_down, max_connections, per_ip, auth, room_not_found, banned, abandoned, error)',
    'reason',
    CONNECTION_REFUSALS,
    () => gateway.refused,
  );
  mirroredLabelledCounter(
    registry,
    'parlor_chat_messages_total',
    'SEND_MESSAGE actions accepted by this node, by outcome (delivered, validation, forbidden, rate_limit, slow_mode, review_deny, review_fallback_deny, error)',
    'outcome',
    MESSAGE_OUTCOMES,
    () => chat.messages,
  );
  mirroredCounter(registry, 'parlor_chat_deliveries_total', 'Frames (MESSAGE, EVENT, ERROR) written to chat sockets on this node, one per frame per connection', () => gateway.written.frames);
  mirroredCounter(registry, 'parlor_chat_delivered_bytes_total', 'Bytes of the frames written to chat sockets on this node, WebSocket framing included', () => gateway.written.bytes);
  mirroredCounter(registry, 'parlor_chat_frames_over_budget_total', 'Client frames past their connection\'s request budget (10/s), not handled', () => chat.framesOverBudget);
  mirroredCounter(registry, 'parlor_chat_slow_readers_dropped_total', 'Chat connections terminated because their unsent bytes passed the bound', () => gateway.droppedSlowReaders);
  mirroredCounter(registry, 'parlor_chat_policy_closes_total', 'Chat connections closed 1008 for sending over their request budget for too long', () => gateway.policyCloses);
  mirroredCounter(registry, 'parlor_chat_refused_per_ip_total', 'Chat upgrades refused 503 by the per-address connection cap (also in parlor_chat_connections_refused_total{reason="per_ip"})', () => gateway.refusedPerIp);
}

export function registerHttpMetrics(registry: Registry, stats: HttpStats): void {
  gauge(registry, 'parlor_http_sockets', 'Open sockets that are not chat WebSockets (requests in progress, idle keep-alive, slow clients)', () => stats.openSockets);
  mirroredCounter(registry, 'parlor_http_request_timeouts_total', 'Requests answered 408 because the head or body did not arrive in time', () => stats.timeouts);
  mirroredCounter(registry, 'parlor_http_oversized_heads_total', 'Requests answered 431 because the head was too large', () => stats.oversizedHeads);
  mirroredCounter(registry, 'parlor_http_sockets_refused_total', 'Sockets refused at accept because too many non-chat sockets were open', () => stats.refusedSockets);
}
