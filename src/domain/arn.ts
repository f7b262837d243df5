/**
 * ARNs of Parlor's resources: `arn:aws:ivschat:<region>:<account>:<kind>/<id>`.
 * Resources live in one account and region (a Scope); an ARN names both.
 */

export type ResourceKind = 'room' | 'logging-configuration';

/** The account and region a request acts in; every stored resource belongs to one. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export interface ParsedArn extends Scope {
  readonly kind: ResourceKind;
  readonly id: string;
}

const ARN = /^arn:aws:ivschat:([a-z0-9-]+):([0-9]+):(room|logging-configuration)\/([a-zA-Z0-9-]+)$/;

export function formatArn(scope: Scope, kind: ResourceKind, id: string): string {
  return `arn:aws:ivschat:${scope.region}:${scope.accountId}:${kind}/${id}`;
}

/** Parses a room or logging-configuration ARN; undefined for anything else. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  return { region: m[1]!, accountId: m[2]!, kind: m[3] as ResourceKind, id: m[4]! };
}

/** The id part of an ARN-looking string, for error members; the whole string otherwise. */
export function idOf(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : arn;
}

export function sameScope(a: Scope, b: Scope): boolean {
  return a.accountId === b.accountId && a.region === b.region;
}
