/**
 * IAM-style identity policies, the subset Parlor understands: statements with `Effect`
 * Allow/Deny, `Action` and `Resource` patterns with `*` (any run of characters, `:` and `/`
 * included) and `?` (exactly one character). Actions match case-insensitively, as IAM does;
 * resources (ARNs) case-sensitively. An explicit Deny wins over any Allow; nothing allowed
 * means denied.
 */

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  readonly effect: Effect;
  /** Patterns such as `ivschat:Get*` or `*`. */
  readonly actions: readonly string[];
  /** Patterns such as `arn:aws:ivschat:*:111111111111:room/*` or `*`. */
  readonly resources: readonly string[];
}

export interface Policy {
  readonly statements: readonly PolicyStatement[];
}

/** Answers whether `action` on `resource` is allowed. */
export type PolicyDecision = (action: string, resource: string) => boolean;

/** Turns a `*`/`?` pattern into an anchored regular expression; every other character is literal. */
export function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'sui' : 'su');
}

/** Whether a value matches one pattern. */
type Matcher = (value: string) => boolean;

const ANYTHING: Matcher = () => true;

/** A bare `*` (the usual `"Resource": "*"`) matches everything without running a regular expression. */
function matcher(pattern: string, caseInsensitive: boolean): Matcher {
  if (pattern === '*') return ANYTHING;
  const re = wildcardRegExp(pattern, caseInsensitive);
  return (value) => re.test(value);
}

interface CompiledStatement {
  readonly actions: readonly Matcher[];
  readonly resources: readonly Matcher[];
}

function compile(statements: readonly PolicyStatement[], effect: Effect): CompiledStatement[] {
  return statements
    .filter((s) => s.effect === effect)
    .map((s) => ({
      actions: s.actions.map((a) => matcher(a, true)),
      resources: s.resources.map((r) => matcher(r, false)),
    }));
}

function matches(statement: CompiledStatement, action: string, resource: string): boolean {
  return statement.actions.some((a) => a(action)) && statement.resources.some((r) => r(resource));
}

/** Compiles a policy once; without a policy the credential may do everything (in its own account). */
export function compilePolicy(policy: Policy | undefined): PolicyDecision {
  if (!policy) return () => true;
  const denies = compile(policy.statements, 'Deny');
  const allows = compile(policy.statements, 'Allow');
  return (action, resource) => {
    if (denies.some((s) => matches(s, action, resource))) return false;
    return allows.some((s) => matches(s, action, resource));
  };
}
