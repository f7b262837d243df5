/**
 * The port through which the control plane tells live parts (chat sessions, chat-log delivery)
 * about changes they must apply at once.
 */
import type { LoggingConfiguration } from './logging-configuration.js';
import type { Room } from './room.js';

/**
 * Told about changes that live parts must apply at once. Calls are made after the change is
 * durable, on the node that made it; an observer must not throw.
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

/** One observer that tells each of `observers`, in order. */
export function observeAll(observers: readonly ChangeObserver[]): ChangeObserver {
  return {
    roomUpdated: (r) => observers.forEach((o) => o.roomUpdated(r)),
    roomDeleted: (r) => observers.forEach((o) => o.roomDeleted(r)),
    loggingConfigurationUpdated: (c) => observers.forEach((o) => o.loggingConfigurationUpdated(c)),
    loggingConfigurationDeleted: (c) => observers.forEach((o) => o.loggingConfigurationDeleted(c)),
  };
}
