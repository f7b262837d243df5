/**
 * The ChatLogger: turns each delivered frame into one record line, and queues that line on
 * the lane of every ACTIVE logging configuration the room lists (a lane = configuration ×
 * destination × room; see chat-log-lane.ts). Also the ChangeObserver that keeps its view of
 * logging configurations current, so changes apply to the next record.
 *
 * `record` does O(1) work per configuration and never awaits or throws; lookups, batching,
 * delivery, retries and spooling happen behind it. Bounds (records in memory, spool bytes) are
 * counted and logged when hit, never silent.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ChangeObserver } from '../domain/change-observer.js';
import type { Destination, LoggingConfiguration } from '../domain/logging-configuration.js';
import type { Room } from '../domain/room.js';
import { Lane, type LaneContext } from './chat-log-lane.js';
import { Budget, type BatchPolicy, type RetryPolicy } from './chat-log-policy.js';
import { ChatLogMetrics } from './chat-log-metrics.js';
import { formatChatLogRecord } from './chat-log-record.js';
import { SINK_LIMITS, type ChatLogEntry, type ChatLogSink, type ChatLogTarget, type DestinationKind } from './chat-log-sink.js';
import { LaneSpool, laneKey, type LaneMeta } from './chat-log-spool.js';
import type { ChatLogger, ChatLogRecordType } from './chat-logger.js';
import { LoggingConfigurationCache, PENDING } from './logging-configuration-cache.js';

/** S3 in large, rare objects; CloudWatch Logs and Firehose within seconds (as on AWS). */
export const DEFAULT_BATCHING: Readonly<Record<DestinationKind, BatchPolicy>> = {
  s3: { maxAgeMs: 60_000, maxBytes: SINK_LIMITS.s3.maxBytes, maxRecords: SINK_LIMITS.s3.maxRecords },
  cloudWatchLogs: { maxAgeMs: 2_000, maxBytes: SINK_LIMITS.cloudWatchLogs.maxBytes, maxRecords: SINK_LIMITS.cloudWatchLogs.maxRecords },
  firehose: { maxAgeMs: 2_000, maxBytes: SINK_LIMITS.firehose.maxBytes, maxRecords: SINK_LIMITS.firehose.maxRecords },
};

export interface ChatLogPipelineOptions {
  readonly sink: ChatLogSink;
  /** Directory of the spool (`<dataDir>/chat-log-spool`); replayed at open. */
  readonly spoolDir: string;
  readonly loadConfiguration: (arn: string) => Promise<LoggingConfiguration | undefined>;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Per kind; values are clamped to the kind's API limits. */
  readonly batching?: Partial<Record<DestinationKind, Partial<BatchPolicy>>>;
  readonly retry?: Partial<RetryPolicy>;
  /** Default 512 MiB. */
  readonly maxSpoolBytes?: number;
  /** Records waiting in memory across all lanes; default 200,000. */
  readonly maxQueuedRecords?: number;
  /** Age after which a cached configuration is re-read in the background; default 30 s. */
  readonly configurationTtlMs?: number;
  /** How long close() waits for deliveries before spooling what is left; default 5 s. */
  readonly closeTimeoutMs?: number;
  readonly now?: () => number;
}

export function targetOf(destination: Destination, config: LoggingConfiguration, room: Room): ChatLogTarget {
  const scope = { accountId: config.accountId, region: config.region };
  if ('s3' in destination) return { ...scope, kind: 's3', name: destination.s3.bucketName, roomId: room.id };
  if ('cloudWatchLogs' in destination) return { ...scope, kind: 'cloudWatchLogs', name: destination.cloudWatchLogs.logGroupName, roomId: room.id };
  return { ...scope, kind: 'firehose', name: destination.firehose.deliveryStreamName, roomId: '' };
}

export class ChatLogPipeline implements ChatLogger, ChangeObserver {
  private readonly lanes = new Map<string, Lane>();
  /** Lane per configuration object and room id; rebuilt when lanes are pruned. */
  private routes = new WeakMap<LoggingConfiguration, Map<string, Lane>>();
  private readonly failing = new Map<string, Set<Lane>>();
  private readonly cache: LoggingConfigurationCache;
  private readonly metrics: ChatLogMetrics;
  private readonly context: LaneContext;
  private readonly batching: Record<DestinationKind, BatchPolicy>;
  private closed: Promise<void> | undefined;
  /** False once close() has handed every lane its last records. */
  private accepting = true;

  private constructor(private readonly options: ChatLogPipelineOptions) {
    const now = options.now ?? Date.now;
    this.metrics = new ChatLogMetrics(options.registry);
    this.cache = new LoggingConfigurationCache(options.loadConfiguration, options.configurationTtlMs ?? 30_000, now, options.logger);
    const clamp = (kind: DestinationKind): BatchPolicy => {
      const want = { ...DEFAULT_BATCHING[kind], ...options.batching?.[kind] };
      const limits = SINK_LIMITS[kind];
      return { maxAgeMs: want.maxAgeMs, maxBytes: Math.min(want.maxBytes, limits.maxBytes), maxRecords: Math.min(want.maxRecords, limits.maxRecords) };
    };
    this.batching = { s3: clamp('s3'), cloudWatchLogs: clamp('cloudWatchLogs'), firehose: clamp('firehose') };
    this.context = {
      sink: options.sink,
      metrics: this.metrics,
      logger: options.logger,
      spoolBudget: new Budget(options.maxSpoolBytes ?? 512 * 1024 * 1024),
      memory: new Budget(options.maxQueuedRecords ?? 200_000),
      retry: { baseMs: 500, maxMs: 30_000, ...options.retry },
      onStatus: (lane, ok) => this.status(lane, ok),
    };
  }

  /** Opens the pipeline and starts replaying what the spool holds from an earlier run. */
  static async open(options: ChatLogPipelineOptions): Promise<ChatLogPipeline> {
    const pipeline = new ChatLogPipeline(options);
    for (const { spool, segments } of await LaneSpool.scan(options.spoolDir)) {
      const bytes = segments.reduce((sum, s) => sum + s.bytes, 0);
      pipeline.context.spoolBudget.used += bytes;
      pipeline.lanes.set(laneKey(spool.meta), new Lane(spool, segments, pipeline.batching[spool.meta.target.kind], pipeline.context));
      options.logger.info({ configuration: spool.meta.configurationArn, target: spool.meta.target, batches: segments.length }, 'replaying spooled chat-log batches');
    }
    pipeline.metrics.spoolBytes.set(pipeline.context.spoolBudget.used);
    return pipeline;
  }

  record(room: Room, type: ChatLogRecordType, payloadJson: string, receivedAt: number): void {
    const arns = room.loggingConfigurationIdentifiers;
    if (arns.length === 0) return;
    try {
      // JSON allows raw newlines only as whitespace between tokens; NDJSON needs one line.
      const payload = payloadJson.includes('\n') ? payloadJson.replace(/\r?\n/g, '') : payloadJson;
      const entry = { at: receivedAt, line: formatChatLogRecord(type, payload, receivedAt) };
      const bytes = Buffer.byteLength(entry.line);
      for (const arn of arns) {
        const known = this.cache.peek(arn);
        if (known === PENDING) this.cache.with(arn, (config) => this.route(config, room, entry, bytes));
        else this.route(known, room, entry, bytes);
      }
    } catch (err) {
      this.options.logger.error({ err, room: room.arn }, 'chat-log record failed');
    }
  }

  /** Queues `entry` on the lane of `config` for `room` (nothing for a missing or inactive one). */
  private route(config: LoggingConfiguration | undefined, room: Room, entry: ChatLogEntry, bytes: number): void {
    if (!config || config.state !== 'ACTIVE') return;
    // Fast path: lanes by configuration object (replaced on every change) and room id.
    let byRoom = this.routes.get(config);
    if (!byRoom) this.routes.set(config, (byRoom = new Map()));
    let lane = byRoom.get(room.id);
    if (!lane) {
      lane = this.lane({ configurationArn: config.arn, target: targetOf(config.destinationConfiguration, config, room) });
      byRoom.set(room.id, lane);
    }
    if (!this.accepting) {
      this.metrics.dropped.inc({ kind: lane.meta.target.kind, reason: 'closed' });
      this.options.logger.error({ configuration: config.arn }, 'chat-log record after close dropped');
      return;
    }
    lane.add(entry, bytes + SINK_LIMITS[lane.meta.target.kind].perRecordOverhead);
  }

  private lane(meta: LaneMeta): Lane {
    const key = laneKey(meta);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new Lane(LaneSpool.forLane(this.options.spoolDir, meta), [], this.batching[meta.target.kind], this.context);
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private status(lane: Lane, ok: boolean): void {
    const arn = lane.meta.configurationArn;
    let set = this.failing.get(arn);
    if (!set) this.failing.set(arn, (set = new Set()));
    const before = set.size;
    if (ok) set.delete(lane);
    else set.add(lane);
    if (set.size === 0 && before > 0) this.options.logger.info({ configuration: arn }, 'chat-log deliveries succeed again');
    this.metrics.status.set({ configuration: arn, kind: lane.meta.target.kind }, set.size === 0 ? 1 : 0);
  }

  /** Cuts every buffer now (tests and shutdown). */
  flush(): void {
    for (const lane of this.lanes.values()) lane.cut();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.cache.settled(); // records waiting for a lookup reach their lanes first
      this.accepting = false;
      const deadline = this.options.closeTimeoutMs ?? 5_000;
      await Promise.all([...this.lanes.values()].map((l) => l.close(deadline)));
      await this.options.sink.close();
    })();
    return this.closed;
  }

  /** Forgets lanes with nothing left to do (after rooms or destinations went away). */
  private prune(): void {
    this.routes = new WeakMap();
    for (const [key, lane] of this.lanes) {
      if (!lane.idle) continue;
      this.lanes.delete(key);
      this.failing.get(lane.meta.configurationArn)?.delete(lane);
    }
  }

  roomUpdated(): void {}
  roomDeleted(): void {
    this.prune();
  }
  loggingConfigurationUpdated(config: LoggingConfiguration): void {
    this.cache.updated(config);
    this.prune();
  }
  loggingConfigurationDeleted(config: LoggingConfiguration): void {
    this.cache.deleted(config.arn);
    this.prune();
  }
}
