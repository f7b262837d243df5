/**
 * What every control-plane operation receives: who is calling (the scope it acts in) and the
 * dependencies it may use. Built per request by the transport; no transport types in here.
 */
import type { Scope } from '../domain/arn.js';
import type { ChatTokenClaims } from '../domain/chat-token.js';
import type { LoggingConfiguration } from '../domain/logging-configuration.js';
import type { Room } from '../domain/room.js';
import type { RoomPresence } from '../presence/presence.js';
import type { Store } from '../store/store.js';

export interface OperationContext {
  /** Account and region the request acts in (from the caller's credentials and signature). */
  readonly scope: Scope;
  /** The `x-amzn-RequestId` of this request, for logs. */
  readonly requestId: string;
}

/**
 * Told about changes that live parts (chat sessions, chat-log delivery) must apply at once.
 * Calls are made after the change is durable, on the node that made it; an observer must not
 * throw.
 */
export interface ChangeObserver {
  roomUpdated(room: Room): void;
  roomDeleted(room: Room): void;
  loggingConfigurationUpdated(config: LoggingConfiguration): void;
  loggingConfigurationDeleted(config: LoggingConfiguration): void;
}

/**
 * What the chat operations (CreateChatToken, SendEvent, DeleteMessage, DisconnectUser) need
 * from the chat data plane. Rooms passed in exist and belong to the caller.
 */
export interface ChatPlane {
  /** The signed, sub-protocol-safe token for `claims`. */
  mintToken(claims: ChatTokenClaims): string;
  /** Broadcasts an app EVENT to the room and logs it; resolves to the EVENT's `Id`. */
  sendEvent(room: Room, eventName: string, attributes: Readonly<Record<string, string>>): Promise<string>;
  /** Broadcasts `aws:DELETE_MESSAGE` and logs it; resolves to the EVENT's `Id`. */
  deleteMessage(room: Room, messageId: string, reason: string | undefined): Promise<string>;
  /** Broadcasts `aws:DISCONNECT_USER`, then closes that user's connections; logs the EVENT. */
  disconnectUser(room: Room, userId: string, reason: string | undefined): Promise<void>;
  /** The users connected to the room now, on every node. */
  roomUsers(room: Room): Promise<RoomPresence>;
}

export interface ControlPlaneDeps {
  readonly store: Store;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly changes: ChangeObserver;
  readonly chat: ChatPlane;
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
