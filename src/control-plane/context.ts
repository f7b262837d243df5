/**
 * What every control-plane operation receives: who is calling (the scope it acts in) and the
 * dependencies it may use. Built per request by the transport; no transport types in here.
 */
import type { Scope } from '../domain/arn.js';
import type { Room } from '../domain/room.js';
import type { Store } from '../store/store.js';

export interface OperationContext {
  /** Account and region the request acts in (from the caller's credentials and signature). */
  readonly scope: Scope;
  /** The `x-amzn-RequestId` of this request, for logs. */
  readonly requestId: string;
}

/**
 * Told about room changes that live chat must apply at once. Calls are made after the change
 * is durable; an observer must not throw.
 */
export interface RoomObserver {
  roomUpdated(room: Room): void;
  roomDeleted(room: Room): void;
}

export interface ControlPlaneDeps {
  readonly store: Store;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly rooms: RoomObserver;
}

export const NO_ROOM_OBSERVER: RoomObserver = { roomUpdated() {}, roomDeleted() {} };
