/**
 * The fan-out port: carries envelopes from the node that accepted an action to every node with
 * connections in the room (room envelopes), or to every node (node-wide envelopes).
 * Implementations: local-fan-out.ts (one node, embedded mode) and redis-fan-out.ts (clusters).
 * Both run the same path: the publishing node applies the envelope to its own handler at once,
 * inside `publish`, and only then sends one copy to the other nodes, which ignore copies that
 * come back to their sender. So chat within a node never depends on the bus.
 *
 * Ordering: the envelopes one node publishes (room and node-wide alike) reach each node's
 * handler in publish order, each at most once — on the publishing node because it applies them
 * synchronously, on the others because one connection sends them and one connection receives
 * them. A frame a caller sends straight to one socket after `publish` returned (an ERROR)
 * therefore comes after that socket's copy of every envelope published before it. Across
 * publishing nodes there is no order. While the bus is down, copies for other nodes are
 * dropped (counted by the implementation), never queued and delivered late.
 */
import type { Envelope, NodeEnvelope, RoomEnvelope } from '../domain/envelope.js';

/** Applies one envelope to this node's local state and connections. Must not throw. */
export type EnvelopeHandler = (envelope: Envelope) => void;

/**
 * Called when the bus is back after an outage (not at the first connection): envelopes of
 * other nodes were dropped meanwhile, so the node re-reads from the store what they would have
 * told it (room settings). Must not throw.
 */
export type ResyncHandler = () => void;

export interface FanOut {
  /** Sets this node's handlers; called once, before any join or publish. */
  open(handler: EnvelopeHandler, resync?: ResyncHandler): void;
  /**
   * Starts receiving the room envelopes of `roomArn` (the node has a local connection there).
   * Resolves once they are received: an envelope published anywhere after that reaches this
   * node. Joining a room twice is the same as once. While the bus is down it resolves at once
   * (local delivery works; the subscription is made when the bus is back).
   */
  join(roomArn: string): Promise<void>;
  /** Stops receiving the room envelopes of `roomArn`; resolves once none arrive any more. */
  leave(roomArn: string): Promise<void>;
  /**
   * Hands `envelope` to the handler of every node that joined its room, at most once each:
   * this node's synchronously (when joined), then the others'. Resolves once it is applied here
   * and handed to the bus (or dropped because the bus is down); rejects only after `close`.
   */
  publish(envelope: RoomEnvelope): Promise<void>;
  /** As `publish`, for every node whatever rooms it joined (this one included). */
  publishToAllNodes(envelope: NodeEnvelope): Promise<void>;
  /** Stops delivering; later publishes reject. */
  close(): Promise<void>;
}
