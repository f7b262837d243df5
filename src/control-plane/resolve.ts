/**
 * Turns identifier inputs (full ARNs, already pattern-checked) into things of the caller's
 * scope. An ARN of another account is not the caller's to touch: AccessDeniedException. One of
 * another region of the same account does not exist here: ResourceNotFoundException.
 */
import { idOf, parseArn, sameScope, type ResourceKind } from '../domain/arn.js';
import { AccessDeniedException, ResourceNotFoundException, type ResourceType } from '../domain/errors.js';
import type { OperationContext } from './context.js';

const RESOURCE_TYPE: Readonly<Record<ResourceKind, ResourceType>> = {
  room: 'ROOM',
  'logging-configuration': 'LOGGING_CONFIGURATION',
};

export function notFound(arn: string, kind: ResourceKind): ResourceNotFoundException {
  const label = kind === 'room' ? 'Room' : 'Logging configuration';
  return new ResourceNotFoundException(`${label} not found: ${arn}`, idOf(arn), RESOURCE_TYPE[kind]);
}

/** Checks that `arn` names a `kind` resource in the caller's scope; returns it unchanged. */
export function ownArn(ctx: OperationContext, arn: string, kind?: ResourceKind): string {
  const parsed = parseArn(arn);
  if (!parsed || (kind && parsed.kind !== kind)) throw notFound(arn, kind ?? 'room');
  if (parsed.accountId !== ctx.scope.accountId) {
    throw new AccessDeniedException(`The resource ${arn} belongs to another account`);
  }
  if (!sameScope(parsed, ctx.scope)) throw notFound(arn, parsed.kind);
  return arn;
}
