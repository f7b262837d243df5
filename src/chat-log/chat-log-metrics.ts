/**
 * What chat logging counts, on the registry the composition root passes (served at /metrics).
 * Counters are in records, labelled by destination kind; the status gauge is per logging
 * configuration: 1 while its deliveries succeed, 0 once a delivery failed and until one
 * succeeds again (the API's `state` follows the model and stays ACTIVE).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DestinationKind } from './chat-log-sink.js';

export type DropReason = 'queue-full' | 'spool-full' | 'spool-error' | 'too-large' | 'rejected' | 'closed';

export class ChatLogMetrics {
  readonly delivered: Counter<'kind'>;
  readonly failed: Counter<'kind'>;
  readonly spooled: Counter<'kind'>;
  readonly dropped: Counter<'kind' | 'reason'>;
  readonly status: Gauge<'configuration' | 'kind'>;
  readonly spoolBytes: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.delivered = new Counter({ name: 'parlor_chat_log_records_delivered_total', help: 'Chat-log records accepted by their destination', labelNames: ['kind'], registers });
    this.failed = new Counter({ name: 'parlor_chat_log_records_failed_total', help: 'Chat-log records in delivery attempts that failed (retried later)', labelNames: ['kind'], registers });
    this.spooled = new Counter({ name: 'parlor_chat_log_records_spooled_total', help: 'Chat-log records written to the on-disk spool', labelNames: ['kind'], registers });
    this.dropped = new Counter({ name: 'parlor_chat_log_records_dropped_total', help: 'Chat-log records given up because a bound was hit (see reason)', labelNames: ['kind', 'reason'], registers });
    this.status = new Gauge({ name: 'parlor_chat_log_delivery_status', help: '1 while a logging configuration delivers, 0 while its deliveries fail', labelNames: ['configuration', 'kind'], registers });
    this.spoolBytes = new Gauge({ name: 'parlor_chat_log_spool_bytes', help: 'Bytes of undelivered chat-log batches in the spool', registers });
  }

  count(counter: Counter<'kind'>, kind: DestinationKind, records: number): void {
    if (records > 0) counter.inc({ kind }, records);
  }
}
