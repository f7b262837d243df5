/** Rooms, logging configurations, a scriptable fake sink and a log capture for chat-log tests. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ChatLogBatch, ChatLogSink, DeliveryOutcome } from '../../src/chat-log/chat-log-sink.js';
import type { Destination, LoggingConfiguration } from '../../src/domain/logging-configuration.js';
import type { Room } from '../../src/domain/room.js';

const SCOPE = { accountId: '123456789012', region: 'us-west-2' };

export function room(id: string, arns: readonly string[]): Room {
  return {
    ...SCOPE,
    arn: `arn:aws:ivschat:us-west-2:123456789012:room/${id}`,
    id,
    name: id,
    createTime: 0,
    updateTime: 0,
    maximumMessageRatePerSecond: 10,
    maximumMessageLength: 500,
    messageReviewHandler: undefined,
    tags: {},
    loggingConfigurationIdentifiers: arns,
  };
}

export function loggingConfiguration(id: string, destinationConfiguration: Destination): LoggingConfiguration {
  return {
    ...SCOPE,
    arn: `arn:aws:ivschat:us-west-2:123456789012:logging-configuration/${id}`,
    id,
    name: id,
    createTime: 0,
    updateTime: 0,
    destinationConfiguration,
    state: 'ACTIVE',
    tags: {},
  };
}

/** Remembers accepted batches per destination name; fails while `script` says so. */
export class FakeSink implements ChatLogSink {
  readonly accepted = new Map<string, string[]>();
  calls = 0;
  /** Decides each call's outcome; default: accept. */
  script: (batch: ChatLogBatch, call: number) => DeliveryOutcome = () => ({ kind: 'ok' });

  async deliver(batch: ChatLogBatch): Promise<DeliveryOutcome> {
    const outcome = this.script(batch, ++this.calls);
    const failed = new Set(outcome.kind === 'partial' ? outcome.failed : outcome.kind === 'failed' ? batch.entries.map((_, i) => i) : []);
    const lines = this.accepted.get(batch.target.name) ?? [];
    batch.entries.forEach((e, i) => failed.has(i) || lines.push(e.line));
    this.accepted.set(batch.target.name, lines);
    return outcome;
  }

  lines(name: string): string[] {
    return this.accepted.get(name) ?? [];
  }

  async close(): Promise<void> {}
}

export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Polls `condition` until true or the deadline passes (then throws with `what`). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Sum of a metric's values whose labels include `labels`. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)).reduce((s, v) => s + v.value, 0);
}
