/**
 * Runs one decoded operation for an authenticated caller, in a fixed order:
 * validate → pending-verification → authorise → operation. Transport-free.
 */
import type { Caller } from '../auth/authenticator.js';
import { AccessDeniedException, PendingVerification, ValidationException } from '../domain/errors.js';
import { OPERATIONS, type OperationName, type OperationShapes } from '../protocol/generated/model.js';
import type { OperationDef } from '../protocol/model-types.js';
import { validateInput } from '../protocol/validate.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import type { OperationHandler, OperationHandlers } from './handlers.js';

export async function dispatch<K extends OperationName>(
  deps: ControlPlaneDeps,
  handlers: OperationHandlers,
  caller: Caller,
  requestId: string,
  operation: K,
  input: Record<string, unknown>,
): Promise<OperationShapes[K]['output']> {
  const def: OperationDef = OPERATIONS[operation];
  const handler = handlers[operation] as OperationHandler<K>;
  const problems = def.input ? validateInput(def.input, input) : [];
  for (const extra of handler.check?.(input) ?? []) {
    if (!problems.some((p) => p.name === extra.name)) problems.push(extra);
  }
  if (problems.length > 0) throw ValidationException.fields(problems);
  const typed = input as OperationShapes[K]['input'];
  // The model names the operations an unverified account may not call.
  if (caller.pendingVerification && def.errors.includes('PendingVerification')) {
    throw new PendingVerification('The account is pending verification; only reads are allowed');
  }
  const action = `ivschat:${operation}`;
  for (const resource of handler.resources(typed)) {
    if (!caller.isAllowed(action, resource)) {
      throw new AccessDeniedException(`Not authorized to perform ${action} on ${resource}`);
    }
  }
  const ctx: OperationContext = { scope: caller.scope, requestId };
  return handler.run(deps, ctx, typed);
}
