/**
 * What nodes tell each other through the fan-out: the one union of every cross-node message.
 * Room envelopes concern one room and are applied to that room's local sockets by the nodes
 * that have joined it; node-wide envelopes reach every node, whatever rooms it has joined
 * (caches that any node may hold: room settings, logging configurations, bans). Frames travel
 * as their JSON text, exactly what clients receive, so a receiving node only encodes and
 * delivers. Every receiver switches on `kind` exhaustively; adding a kind here also means
 * adding its check to protocol/envelope-codec.ts (the compiler insists).
 */
import type { LoggingConfiguration } from './logging-configuration.js';
import type { Room } from './room.js';

/** Deliver one MESSAGE or EVENT frame to every local connection of the room. */
export interface DeliverEnvelope {
  readonly kind: 'deliver';
  readonly roomArn: string;
  readonly frame: string;
}

/** Deliver the aws:DISCONNECT_USER frame to the room, then close every connection of `userId`. */
export interface DisconnectUserEnvelope {
  readonly kind: 'disconnect-user';
  readonly roomArn: string;
  readonly userId: string;
  readonly frame: string;
}

/** The room's settings (tags included) changed: apply them from the very next message. */
export interface RoomUpdatedEnvelope {
  readonly kind: 'room-updated';
  readonly roomArn: string;
  readonly room: Room;
}

/** The room is gone: deliver the ERROR 404 frame, then close every local connection. */
export interface RoomDeletedEnvelope {
  readonly kind: 'room-deleted';
  readonly roomArn: string;
  /** The room as it was last stored (for the parts that forget what they kept about it). */
  readonly room: Room;
  readonly frame: string;
}

/** A logging configuration was created or changed (its destination may be new). */
export interface LoggingConfigurationUpdatedEnvelope {
  readonly kind: 'logging-configuration-updated';
  readonly configuration: LoggingConfiguration;
}

/** A logging configuration is gone. */
export interface LoggingConfigurationDeletedEnvelope {
  readonly kind: 'logging-configuration-deleted';
  readonly configuration: LoggingConfiguration;
}

/**
 * The bans of `userId` in the room changed (banned, unbanned): forget what is cached about
 * them. Ending the user's connections travels as a `disconnect-user` envelope.
 */
export interface BansChangedEnvelope {
  readonly kind: 'bans-changed';
  readonly roomArn: string;
  readonly userId: string;
}

/** Sent to the nodes that joined the room (`FanOut.publish`): what happens in the room. */
export type RoomEnvelope = DeliverEnvelope | DisconnectUserEnvelope;

/**
 * The changes of the control plane (domain/change-observer.ts), one envelope per call: sent to
 * every node, so every node's caches (room settings, logging configurations) learn of a change
 * at once, whether or not it has members in the room (docs/adr/0032-changes-on-the-nodes-channel.md).
 */
export type ChangeEnvelope = RoomUpdatedEnvelope | RoomDeletedEnvelope | LoggingConfigurationUpdatedEnvelope | LoggingConfigurationDeletedEnvelope;

/** Sent to every node (`FanOut.publishToAllNodes`). */
export type NodeEnvelope = ChangeEnvelope | BansChangedEnvelope;

export type Envelope = RoomEnvelope | NodeEnvelope;

export type EnvelopeKind = Envelope['kind'];
