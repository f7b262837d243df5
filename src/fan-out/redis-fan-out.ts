/**
 * The fan-out of a cluster node over Redis pub/sub. Each node has one publishing and one
 * subscribed connection. Room envelopes go to the channel `<cluster>:room:<roomArn>`, which a
 * node subscribes to while it has members in the room, so a message costs one PUBLISH however
 * many nodes and sockets receive it; node-wide envelopes go to `<cluster>:nodes`, which every
 * node subscribes to. The publishing node applies each envelope to its own handler first,
 * synchronously, and ignores the copy that comes back (the wire form names its origin).
 *
 * Redis down: local delivery goes on; copies for other nodes are dropped and counted
 * (`stats.dropped`), not queued; `join` resolves at once. When the connections come back, the
 * node subscribes again to the nodes channel and every room it holds, `isUp()` turns true
 * only once that is done, and the resync handler is called (changes announced meanwhile were
 * lost: the node re-reads them).
 */
import { randomUUID } from 'node:crypto';
import type { Envelope, NodeEnvelope, RoomEnvelope } from '../domain/envelope.js';
import { RedisLink, type LinkLog } from '../lib/redis-link.js';
import { decodeEnvelope, encodeEnvelope } from '../protocol/envelope-codec.js';
import type { EnvelopeHandler, FanOut, ResyncHandler } from './fan-out.js';
import { LocalDelivery } from './local-delivery.js';

export interface RedisFanOutOptions {
  readonly url: string;
  /** Prefix of every channel (PARLOR_CLUSTER_NAME). */
  readonly clusterName: string;
  /** This node's name, for connection names and logs (PARLOR_NODE_ID). */
  readonly nodeId: string;
  readonly log: LinkLog & { error(details: object, message: string): void };
}

/** Counters since start; read by metrics. */
export interface RedisFanOutStats {
  /** Envelopes sent to Redis (one PUBLISH each) and their wire bytes (UTF-16 length, ≈ bytes). */
  published: number;
  publishedChars: number;
  /** Copies for other nodes dropped because Redis was down or the PUBLISH failed. */
  dropped: number;
  /** Envelopes received from other nodes (own copies not counted). */
  received: number;
  /** Received texts that were not a valid envelope (logged and dropped). */
  malformed: number;
}

/** Subscribe to at most this many channels per command when restoring after a reconnect. */
const RESUBSCRIBE_BATCH = 500;

export class RedisFanOut implements FanOut {
  readonly #local = new LocalDelivery();
  /** Unique per instance (a node id may be reused by a restarted or misconfigured node). */
  readonly #origin = randomUUID();
  readonly #pub: RedisLink;
  readonly #sub: RedisLink;
  readonly #nodes: string;
  readonly #roomPrefix: string;
  /** True once the subscriptions of the current connection are restored. */
  #subscribed = false;
  /** True once the subscriptions were restored at least once (a later restore follows an outage). */
  #everSubscribed = false;
  #resync: ResyncHandler | undefined;
  #lastMalformedLog = 0;
  readonly stats: RedisFanOutStats = { published: 0, publishedChars: 0, dropped: 0, received: 0, malformed: 0 };

  constructor(private readonly options: RedisFanOutOptions) {
    this.#nodes = `${options.clusterName}:nodes`;
    this.#roomPrefix = `${options.clusterName}:room:`;
    this.#pub = new RedisLink(options.url, `${options.clusterName}:${options.nodeId}:fan-out-pub`, options.log);
    this.#sub = new RedisLink(options.url, `${options.clusterName}:${options.nodeId}:fan-out-sub`, options.log);
    this.#sub.client.on('message', (channel: string, text: string) => this.#receive(channel, text));
    this.#sub.onReady(() => void this.#resubscribe());
    this.#sub.onClose(() => {
      this.#subscribed = false;
    });
  }

  open(handler: EnvelopeHandler, resync?: ResyncHandler): void {
    this.#local.open(handler);
    this.#resync = resync;
  }

  /** Both connections are up and every subscription is live (for /readyz). */
  isUp(): boolean {
    return this.#subscribed && this.#pub.isUp() && this.#sub.isUp();
  }

  /** Resolves once `isUp()`; rejects after `timeoutMs` (Redis unreachable) or on close. */
  async whenUp(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isUp()) {
      if (this.#local.closed) throw new Error('The fan-out is closed');
      if (Date.now() > deadline) throw new Error(`Redis at ${redact(this.options.url)} did not become ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Reconnection attempts of both connections. */
  get reconnects(): number {
    return this.#pub.reconnects + this.#sub.reconnects;
  }

  /** Milliseconds of one PING on the publishing connection; rejects while Redis is down. */
  roundTrip(timeoutMs?: number): Promise<number> {
    return this.#pub.roundTrip(timeoutMs);
  }

  async join(roomArn: string): Promise<void> {
    this.#local.join(roomArn);
    if (this.#sub.isUp()) await this.#quietly(this.#sub.client.subscribe(this.#roomPrefix + roomArn));
  }

  async leave(roomArn: string): Promise<void> {
    this.#local.leave(roomArn);
    if (this.#sub.isUp()) await this.#quietly(this.#sub.client.unsubscribe(this.#roomPrefix + roomArn));
  }

  publish(envelope: RoomEnvelope): Promise<void> {
    const refused = this.#local.refused();
    if (refused) return refused;
    this.#send(this.#roomPrefix + envelope.roomArn, envelope);
    this.#local.apply(envelope, false);
    return Promise.resolve();
  }

  publishToAllNodes(envelope: NodeEnvelope): Promise<void> {
    const refused = this.#local.refused();
    if (refused) return refused;
    this.#send(this.#nodes, envelope);
    this.#local.apply(envelope, true);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#local.close();
    this.#pub.close();
    this.#sub.close();
  }

  /** One PUBLISH of the envelope's wire text, or a counted drop while Redis is down. */
  #send(channel: string, envelope: Envelope): void {
    if (!this.#pub.isUp()) {
      this.stats.dropped++;
      return;
    }
    const text = encodeEnvelope(this.#origin, envelope);
    this.stats.published++;
    this.stats.publishedChars += text.length;
    this.#pub.client.publish(channel, text).catch(() => {
      this.stats.dropped++;
    });
  }

  #receive(channel: string, text: string): void {
    const decoded = decodeEnvelope(text);
    if (!decoded.ok) {
      this.stats.malformed++;
      const now = Date.now();
      if (now - this.#lastMalformedLog >= 1000) {
        this.#lastMalformedLog = now;
        this.options.log.warn({ channel, reason: decoded.reason, malformed: this.stats.malformed }, 'dropped a malformed envelope from Redis');
      }
      return;
    }
    if (decoded.value.from === this.#origin) return;
    this.stats.received++;
    try {
      this.#local.apply(decoded.value.envelope, channel === this.#nodes);
    } catch (err) {
      this.options.log.error({ err, channel }, 'applying an envelope from Redis failed');
    }
  }

  /** After every (re)connection: the nodes channel and every room held, in batches. */
  async #resubscribe(): Promise<void> {
    const channels = [this.#nodes, ...[...this.#local.rooms()].map((room) => this.#roomPrefix + room)];
    try {
      for (let i = 0; i < channels.length; i += RESUBSCRIBE_BATCH) await this.#sub.client.subscribe(...channels.slice(i, i + RESUBSCRIBE_BATCH));
      this.#subscribed = this.#sub.isUp();
      if (!this.#subscribed) return;
      if (this.#everSubscribed) this.#resync?.();
      this.#everSubscribed = true;
    } catch (err) {
      // The connection dropped again; the next 'ready' starts over.
      if (this.#sub.isUp()) this.options.log.error({ err }, 'could not restore Redis subscriptions');
    }
  }

  /** Awaits a (un)subscription; a connection lost meanwhile is not an error (the reconnect restores state). */
  async #quietly(command: Promise<unknown>): Promise<void> {
    try {
      await command;
    } catch (err) {
      if (this.#sub.isUp()) throw err;
    }
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
