/**
 * The auth file (`PARLOR_AUTH_FILE` / `--auth-file`): accounts, their credentials and optional
 * IAM-style policies, as docs/security.md describes. Validated completely at start;
 * every problem names the entry it is about (`accounts[1].credentials[0].policy.Statement[2].Effect`).
 * Messages never contain a secret access key, nor a fragment of the file's text.
 */
import { readFileSync } from 'node:fs';
import type { Effect, Policy, PolicyStatement } from './policy.js';

export interface CredentialEntry {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Undefined: everything in the credential's own account is allowed. */
  readonly policy: Policy | undefined;
}

export interface AccountEntry {
  /** 12 digits. */
  readonly id: string;
  readonly pendingVerification: boolean;
  readonly credentials: readonly CredentialEntry[];
}

export interface AuthFile {
  readonly accounts: readonly AccountEntry[];
}

export class AuthFileError extends Error {}

/** The shortest secret accepted: a short one could be guessed offline from a single signed request. */
export const MIN_SECRET_LENGTH = 16;
const ACCESS_KEY_ID = /^\w{4,128}$/;
const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'];
/** Statement members of IAM that Parlor does not evaluate; refusing them beats silently granting more. */
const UNSUPPORTED = ['NotAction', 'NotResource', 'Condition', 'Principal', 'NotPrincipal'];

type Json = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new AuthFileError(`${path} ${problem}`);
}

function object(value: unknown, path: string, allowed: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be a JSON object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      fail(`${path}.${key}`, UNSUPPORTED.includes(key) ? 'is not supported by Parlor' : `is not a known member (expected ${allowed.join(', ')})`);
    }
  }
  return value as Json;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty list');
  return value;
}

function patterns(value: unknown, path: string, check: (p: string) => string | undefined): string[] {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) && value.length > 0 ? value : undefined;
  if (!items) fail(path, 'must be a string or a non-empty list of strings');
  return items.map((item, i) => {
    const at = typeof value === 'string' ? path : `${path}[${i}]`;
    if (typeof item !== 'string' || item === '') fail(at, 'must be a non-empty string');
    const problem = check(item);
    if (problem) fail(at, problem);
    return item;
  });
}

function checkAction(action: string): string | undefined {
  return action === '*' || /^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/.test(action) ? undefined : `must be "*" or "service:Action" (e.g. ivschat:GetRoom), got "${action}"`;
}

function checkResource(resource: string): string | undefined {
  return resource === '*' || resource.startsWith('arn:') ? undefined : `must be "*" or an ARN pattern, got "${resource}"`;
}

function statement(value: unknown, path: string): PolicyStatement {
  const s = object(value, path, ['Sid', 'Effect', 'Action', 'Resource']);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') fail(`${path}.Sid`, 'must be a string');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') fail(`${path}.Effect`, 'must be Allow or Deny');
  if (s.Action === undefined) fail(`${path}.Action`, 'is required');
  if (s.Resource === undefined) fail(`${path}.Resource`, 'is required');
  return {
    effect: s.Effect as Effect,
    actions: patterns(s.Action, `${path}.Action`, checkAction),
    resources: patterns(s.Resource, `${path}.Resource`, checkResource),
  };
}

function policy(value: unknown, path: string): Policy {
  const p = object(value, path, ['Version', 'Id', 'Statement']);
  if (p.Version !== undefined && !POLICY_VERSIONS.includes(p.Version as string)) {
    fail(`${path}.Version`, `must be ${POLICY_VERSIONS.join(' or ')}`);
  }
  if (p.Id !== undefined && typeof p.Id !== 'string') fail(`${path}.Id`, 'must be a string');
  if (p.Statement === undefined) fail(`${path}.Statement`, 'is required');
  const statements = Array.isArray(p.Statement)
    ? list(p.Statement, `${path}.Statement`).map((s, i) => statement(s, `${path}.Statement[${i}]`))
    : [statement(p.Statement, `${path}.Statement`)];
  return { statements };
}

function credential(value: unknown, path: string): CredentialEntry {
  const c = object(value, path, ['accessKeyId', 'secretAccessKey', 'policy']);
  if (typeof c.accessKeyId !== 'string' || !ACCESS_KEY_ID.test(c.accessKeyId)) {
    fail(`${path}.accessKeyId`, 'must be 4 to 128 letters, digits or underscores');
  }
  if (typeof c.secretAccessKey !== 'string' || c.secretAccessKey.length < MIN_SECRET_LENGTH) {
    fail(`${path}.secretAccessKey`, `must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  }
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    policy: c.policy === undefined ? undefined : policy(c.policy, `${path}.policy`),
  };
}

function account(value: unknown, path: string): AccountEntry {
  const a = object(value, path, ['id', 'pendingVerification', 'credentials']);
  if (typeof a.id !== 'string' || !/^\d{12}$/.test(a.id)) fail(`${path}.id`, 'must be a string of 12 digits');
  if (a.pendingVerification !== undefined && typeof a.pendingVerification !== 'boolean') {
    fail(`${path}.pendingVerification`, 'must be true or false');
  }
  const credentials = list(a.credentials, `${path}.credentials`).map((c, i) => credential(c, `${path}.credentials[${i}]`));
  return { id: a.id, pendingVerification: a.pendingVerification === true, credentials };
}

/** Validates parsed JSON as an auth file; throws AuthFileError naming the first bad entry. */
export function parseAuthFile(json: unknown): AuthFile {
  const root = object(json, 'auth file', ['accounts']);
  const accounts = list(root.accounts, 'accounts').map((a, i) => account(a, `accounts[${i}]`));
  const accountAt = new Map<string, number>();
  const keyAt = new Map<string, string>();
  accounts.forEach((a, i) => {
    const first = accountAt.get(a.id);
    if (first !== undefined) fail(`accounts[${i}].id`, `repeats the id ${a.id} of accounts[${first}]`);
    accountAt.set(a.id, i);
    a.credentials.forEach((c, j) => {
      const path = `accounts[${i}].credentials[${j}].accessKeyId`;
      const earlier = keyAt.get(c.accessKeyId);
      if (earlier) fail(path, `repeats the access key ${c.accessKeyId} of ${earlier}`);
      keyAt.set(c.accessKeyId, path);
    });
  });
  return { accounts };
}

/** Where in the text a JSON syntax error is, without quoting the text (it holds secrets). */
function syntaxPosition(text: string, err: unknown): string {
  const at = /position (\d+)/.exec((err as Error).message)?.[1];
  if (at === undefined) return '';
  const before = text.slice(0, Number(at)).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

/** Reads and validates the auth file at `path`. */
export function loadAuthFile(path: string): AuthFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AuthFileError(`cannot read the auth file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AuthFileError(`the auth file ${path} is not valid JSON${syntaxPosition(text, err)}`);
  }
  try {
    return parseAuthFile(json);
  } catch (err) {
    if (err instanceof AuthFileError) throw new AuthFileError(`the auth file ${path} is invalid: ${err.message}`);
    throw err;
  }
}
