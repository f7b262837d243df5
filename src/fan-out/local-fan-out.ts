/**
 * The fan-out of one node alone (embedded mode): publishing applies the envelope to this
 * node's handler, synchronously, before `publish` returns; there are no other nodes to send it
 * to. The same path as redis-fan-out.ts without the bus.
 */
import type { NodeEnvelope, RoomEnvelope } from '../domain/envelope.js';
import type { EnvelopeHandler, FanOut } from './fan-out.js';
import { LocalDelivery } from './local-delivery.js';

export class LocalFanOut implements FanOut {
  readonly #local = new LocalDelivery();

  open(handler: EnvelopeHandler): void {
    this.#local.open(handler);
  }

  async join(roomArn: string): Promise<void> {
    this.#local.join(roomArn);
  }

  async leave(roomArn: string): Promise<void> {
    this.#local.leave(roomArn);
  }

  publish(envelope: RoomEnvelope): Promise<void> {
    return this.#local.refused() ?? (this.#local.apply(envelope, false), Promise.resolve());
  }

  publishToAllNodes(envelope: NodeEnvelope): Promise<void> {
    return this.#local.refused() ?? (this.#local.apply(envelope, true), Promise.resolve());
  }

  async close(): Promise<void> {
    this.#local.close();
  }
}
