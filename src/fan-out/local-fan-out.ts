/**
 * The in-process loopback of the fan-out port: one node, so publishing calls this node's
 * handler at once (synchronously, before `publish` returns), for joined rooms only.
 */
import type { Envelope } from '../domain/envelope.js';
import type { EnvelopeHandler, FanOut } from './fan-out.js';

export class LocalFanOut implements FanOut {
  #handler: EnvelopeHandler | undefined;
  readonly #rooms = new Set<string>();
  #closed = false;

  open(handler: EnvelopeHandler): void {
    this.#handler = handler;
  }

  join(roomArn: string): void {
    this.#rooms.add(roomArn);
  }

  leave(roomArn: string): void {
    this.#rooms.delete(roomArn);
  }

  publish(envelope: Envelope): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The fan-out is closed'));
    if (this.#handler && this.#rooms.has(envelope.roomArn)) this.#handler(envelope);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#rooms.clear();
  }
}
