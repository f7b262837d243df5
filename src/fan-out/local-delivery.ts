/**
 * The half of every fan-out that lives on this node: the handler, the rooms joined, and the
 * rule for which envelopes reach the handler. Both implementations publish through it first
 * (synchronously), so the local path is the same in embedded and cluster mode.
 */
import type { Envelope } from '../domain/envelope.js';
import type { EnvelopeHandler } from './fan-out.js';

export class LocalDelivery {
  #handler: EnvelopeHandler | undefined;
  readonly #rooms = new Set<string>();
  #closed = false;

  open(handler: EnvelopeHandler): void {
    this.#handler = handler;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The rooms joined now (for resubscribing after a reconnect). */
  rooms(): IterableIterator<string> {
    return this.#rooms.values();
  }

  join(roomArn: string): void {
    this.#rooms.add(roomArn);
  }

  leave(roomArn: string): void {
    this.#rooms.delete(roomArn);
  }

  /**
   * Applies `envelope` here: a node-wide one always, a room one when its room is joined.
   * The handler must not throw; if it does anyway, the error goes to the caller.
   */
  apply(envelope: Envelope, toAllNodes: boolean): void {
    if (!this.#handler) return;
    if (toAllNodes || ('roomArn' in envelope && this.#rooms.has(envelope.roomArn))) this.#handler(envelope);
  }

  /** A rejection for calls after close, or undefined while open. */
  refused(): Promise<never> | undefined {
    return this.#closed ? Promise.reject(new Error('The fan-out is closed')) : undefined;
  }

  close(): void {
    this.#closed = true;
    this.#rooms.clear();
  }
}
