/**
 * The port through which the control plane tells live parts (chat sessions, chat-log delivery)
 * about changes they must apply at once. The chat core's observer sends each call to every node
 * as a change envelope (domain/envelope.ts); each node turns it back into calls on its own
 * observers with `tellObserver`.
 */
import type { ChangeEnvelope, Envelope } from './envelope.js';
import type { LoggingConfiguration } from './logging-configuration.js';
import type { Room } from './room.js';

/**
 * Told about changes that live parts must apply at once. Calls are made after the change is
 * durable; an observer must not throw.
 */
export interface ChangeObserver {
  roomUpdated(room: Room): void;
  roomDeleted(room: Room): void;
  loggingConfigurationUpdated(config: LoggingConfiguration): void;
  loggingConfigurationDeleted(config: LoggingConfiguration): void;
}

export const NO_OBSERVER: ChangeObserver = {
  roomUpdated() {},
  roomDeleted() {},
  loggingConfigurationUpdated() {},
  loggingConfigurationDeleted() {},
};

/**
 * Tells `observer` the change an envelope carries (the receiving side of the change broadcast:
 * every node turns the envelopes of changes made anywhere back into observer calls).
 */
export function tellObserver(observer: ChangeObserver, envelope: ChangeEnvelope): void {
  switch (envelope.kind) {
    case 'room-updated':
      return observer.roomUpdated(envelope.room);
    case 'room-deleted':
      return observer.roomDeleted(envelope.room);
    case 'logging-configuration-updated':
      return observer.loggingConfigurationUpdated(envelope.configuration);
    case 'logging-configuration-deleted':
      return observer.loggingConfigurationDeleted(envelope.configuration);
  }
}

/** Whether `envelope` carries a change for the observers (rather than room traffic or a ban). */
export function isChange(envelope: Envelope): envelope is ChangeEnvelope {
  return Object.hasOwn(CHANGE_KINDS, envelope.kind);
}

/** Every kind of ChangeEnvelope (the compiler insists on a new one). */
const CHANGE_KINDS: Readonly<Record<ChangeEnvelope['kind'], true>> = {
  'room-updated': true,
  'room-deleted': true,
  'logging-configuration-updated': true,
  'logging-configuration-deleted': true,
};
