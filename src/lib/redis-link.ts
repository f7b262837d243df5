/**
 * One ioredis connection as Parlor's Redis parts use it: commands fail at once while the
 * connection is down (no offline queue, nothing resent after a reconnect — late chat is
 * worse than none), reconnection is ioredis's own (every 100 ms growing to 1 s, forever),
 * errors are reported once per outage instead of crashing the process, and `onReady` hooks
 * run on every (re)connection so that their owner can restore its state (subscriptions).
 */
import { Redis } from 'ioredis';

/** Where a link reports outages (a pino logger fits). */
export interface LinkLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export class RedisLink {
  readonly client: Redis;
  /** Reconnection attempts (each try after a lost or refused connection). */
  reconnects = 0;
  #down = false;
  readonly #onReady: (() => void)[] = [];
  readonly #onClose: (() => void)[] = [];

  constructor(
    url: string,
    /** Shown in CLIENT LIST and in log lines. */
    readonly name: string,
    private readonly log: LinkLog,
  ) {
    this.client = new Redis(url, {
      connectionName: name.replace(/[^\w:.-]/g, '_'),
      enableOfflineQueue: false,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      // Rejects what is in flight as soon as the connection drops (a reconnect flushes nothing late).
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    });
    this.client.on('error', (err: Error) => this.#wentDown(err));
    this.client.on('reconnecting', () => {
      this.reconnects++;
      this.#wentDown(undefined);
    });
    this.client.on('close', () => this.#onClose.forEach((hook) => hook()));
    this.client.on('ready', () => {
      if (this.#down) this.log.info({ redis: this.name }, 'Redis connection restored');
      this.#down = false;
      this.#onReady.forEach((hook) => hook());
    });
  }

  /** Logs the first sign of an outage (an error, or a lost connection); later ones are the same outage. */
  #wentDown(err: Error | undefined): void {
    if (this.#down) return;
    this.#down = true;
    this.log.warn({ err, redis: this.name }, 'Redis connection lost; reconnecting');
  }

  /** Runs `hook` at every 'ready' (the first connection and each reconnection). */
  onReady(hook: () => void): void {
    this.#onReady.push(hook);
  }

  /** Runs `hook` whenever the connection closes (it may reconnect). */
  onClose(hook: () => void): void {
    this.#onClose.push(hook);
  }

  /** Connected and accepting commands. */
  isUp(): boolean {
    return this.client.status === 'ready';
  }

  /** Milliseconds of one PING; rejects while down or after `timeoutMs`. */
  async roundTrip(timeoutMs = 1000): Promise<number> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer PING within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    return performance.now() - started;
  }

  /** Closes the connection for good (no reconnection). */
  close(): void {
    this.client.disconnect();
  }
}
