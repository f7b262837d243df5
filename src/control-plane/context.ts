/**
 * What every control-plane operation receives: who is calling (the scope it acts in) and the
 * dependencies it may use. Built per request by the transport; no transport types in here.
 */
import type { Scope } from '../domain/arn.js';
import type { ChangeObserver } from '../domain/change-observer.js';
import type { ChatPlane } from '../domain/chat-plane.js';
import type { Store } from '../store/store.js';

export interface OperationContext {
  /** Account and region the request acts in (from the caller's credentials and signature). */
  readonly scope: Scope;
  /** The `x-amzn-RequestId` of this request, for logs. */
  readonly requestId: string;
}

export interface ControlPlaneDeps {
  readonly store: Store;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly changes: ChangeObserver;
  readonly chat: ChatPlane;
}
