/**
 * Logging configurations by ARN, for the chat-log pipeline: looked up in the store once, then
 * kept until the change observer replaces them (UpdateLoggingConfiguration) or marks them gone
 * (DeleteLoggingConfiguration) — on whichever node the change was made, since changes reach
 * every node's observers (docs/adr/0032-changes-on-the-nodes-channel.md) — so a change applies
 * to the next record. Entries older than `ttlMs` are refreshed in the background: the safety
 * net for a change announced while Redis was down.
 * Callers waiting for a lookup are answered in call order.
 */
import type { Logger } from 'pino';
import type { LoggingConfiguration } from '../domain/logging-configuration.js';

/** Answer of `peek` while a lookup is outstanding. */
export const PENDING: unique symbol = Symbol('pending');

interface Entry {
  readonly config: LoggingConfiguration | undefined;
  readonly loadedAt: number;
  readonly generation: number;
}

export class LoggingConfigurationCache {
  private readonly entries = new Map<string, Entry>();
  private readonly waiting = new Map<string, Array<(config: LoggingConfiguration | undefined) => void>>();
  private readonly refreshing = new Set<string>();
  private readonly lookups = new Set<Promise<void>>();
  private generation = 0;

  constructor(
    private readonly load: (arn: string) => Promise<LoggingConfiguration | undefined>,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /**
   * The configuration (undefined: none) when known and nobody waits for it; PENDING otherwise
   * (then call `with`, which keeps call order).
   */
  peek(arn: string): LoggingConfiguration | undefined | typeof PENDING {
    if (this.waiting.size > 0 && this.waiting.has(arn)) return PENDING;
    const entry = this.entries.get(arn);
    if (!entry) return PENDING;
    if (this.now() - entry.loadedAt > this.ttlMs) this.refresh(arn, entry.generation);
    return entry.config;
  }

  /** Calls `use` with the configuration (undefined: none) now when known, else once loaded. */
  with(arn: string, use: (config: LoggingConfiguration | undefined) => void): void {
    const known = this.peek(arn);
    if (known !== PENDING) return use(known);
    const queue = this.waiting.get(arn);
    if (queue) {
      queue.push(use);
      return;
    }
    this.waiting.set(arn, [use]);
    const generation = this.generation;
    const lookup = this.fetch(arn).then((config) => {
      if (!this.entries.has(arn) || generation === this.generation) this.put(arn, config, false);
      const callers = this.waiting.get(arn) ?? [];
      this.waiting.delete(arn);
      const current = this.entries.get(arn)?.config;
      for (const c of callers) c(current);
    });
    this.lookups.add(lookup);
    void lookup.finally(() => this.lookups.delete(lookup));
  }

  /** Resolves once every caller waiting for a lookup has been answered. */
  async settled(): Promise<void> {
    while (this.lookups.size > 0) await Promise.all([...this.lookups]);
  }

  private async fetch(arn: string): Promise<LoggingConfiguration | undefined> {
    try {
      return await this.load(arn);
    } catch (err) {
      this.logger.error({ err, arn }, 'could not look up a logging configuration; its records are not routed');
      return undefined;
    }
  }

  private refresh(arn: string, generation: number): void {
    if (this.refreshing.has(arn)) return;
    this.refreshing.add(arn);
    void this.fetch(arn).then((config) => {
      this.refreshing.delete(arn);
      if (this.entries.get(arn)?.generation === generation) this.put(arn, config, false);
    });
  }

  private put(arn: string, config: LoggingConfiguration | undefined, bump: boolean): void {
    if (bump) this.generation++;
    this.entries.set(arn, { config, loadedAt: this.now(), generation: this.generation });
  }

  /** The observer's news: this is the configuration from now on. */
  updated(config: LoggingConfiguration): void {
    this.put(config.arn, config, true);
  }

  deleted(arn: string): void {
    this.put(arn, undefined, true);
  }
}
