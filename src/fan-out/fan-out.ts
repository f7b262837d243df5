/**
 * The fan-out port: carries envelopes from the node that accepted an action to every node with
 * connections in the room, this node included. Implementations: local-fan-out.ts (in-process
 * loopback, embedded mode); a Redis one for clusters. Both call the same handler, so the
 * single-node path is the cluster path.
 */
import type { Envelope } from '../domain/envelope.js';

/** Applies one envelope to this node's local connections. Must not throw. */
export type EnvelopeHandler = (envelope: Envelope) => void;

export interface FanOut {
  /** Sets this node's handler; called once, before any join. */
  open(handler: EnvelopeHandler): void;
  /**
   * Starts receiving envelopes of `roomArn` (the node has a local connection in it). Joining
   * a room twice is the same as once.
   */
  join(roomArn: string): void;
  /** Stops receiving envelopes of `roomArn`. */
  leave(roomArn: string): void;
  /**
   * Hands `envelope` to the handler of every node that joined its room, at most once each.
   * Envelopes published by one node reach each node in publish order. Resolves once the
   * envelope is accepted for delivery; rejects when it could not be (the caller reports it).
   */
  publish(envelope: Envelope): Promise<void>;
  /** Stops delivering; later publishes reject. */
  close(): Promise<void>;
}
