/**
 * Opaque `nextToken`s for the list operations: base64url of the position after the last item
 * returned. A token that does not decode to a position is a ValidationException on `nextToken`.
 */
import { ValidationException, type FieldProblem } from '../domain/errors.js';
import type { PageKey } from '../store/store.js';

export const DEFAULT_PAGE_SIZE = 50;

export function encodePageToken(key: PageKey): string {
  return Buffer.from(JSON.stringify({ t: key.updateTime, a: key.arn })).toString('base64url');
}

const BAD_TOKEN: FieldProblem = { name: 'nextToken', message: 'is not a token this service issued' };

function parsePageToken(token: string): PageKey | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof v === 'object' && v !== null) {
      const { t, a } = v as { t?: unknown; a?: unknown };
      if (typeof t === 'number' && Number.isSafeInteger(t) && typeof a === 'string' && a.startsWith('arn:')) {
        return { updateTime: t, arn: a };
      }
    }
  } catch {
    // not a token of ours
  }
  return undefined;
}

/**
 * The problem with a request's `nextToken` member (raw, before model validation), so that a bad
 * token is reported in the same ValidationException as the model's checks. `""` is no token.
 */
export function pageTokenProblems(input: Readonly<Record<string, unknown>>): FieldProblem[] {
  const token = input['nextToken'];
  return typeof token === 'string' && token !== '' && !parsePageToken(token) ? [BAD_TOKEN] : [];
}

export function decodePageToken(token: string | undefined): PageKey | undefined {
  if (token === undefined || token === '') return undefined;
  const key = parsePageToken(token);
  if (!key) throw ValidationException.fields([BAD_TOKEN]);
  return key;
}

/**
 * Cuts one page from `rows` fetched with limit + 1: returns the page and the token of the next
 * page when there is one.
 */
export function pageOf<T extends PageKey>(rows: T[], limit: number): { items: T[]; nextToken?: string } {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextToken: encodePageToken(items[items.length - 1]!) };
}

/** Tokens of lists ordered by a sequence number, newest first (ListMessages): the last seq returned. */
export function encodeSeqToken(seq: number): string {
  return Buffer.from(JSON.stringify({ s: seq })).toString('base64url');
}

function parseSeqToken(token: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof v === 'object' && v !== null) {
      const { s } = v as { s?: unknown };
      if (typeof s === 'number' && Number.isSafeInteger(s)) return s;
    }
  } catch {
    // not a token of ours
  }
  return undefined;
}

/** As pageTokenProblems, for sequence tokens. */
export function seqTokenProblems(input: Readonly<Record<string, unknown>>): FieldProblem[] {
  const token = input['nextToken'];
  return typeof token === 'string' && token !== '' && parseSeqToken(token) === undefined ? [BAD_TOKEN] : [];
}

export function decodeSeqToken(token: string | undefined): number | undefined {
  if (token === undefined || token === '') return undefined;
  const seq = parseSeqToken(token);
  if (seq === undefined) throw ValidationException.fields([BAD_TOKEN]);
  return seq;
}
