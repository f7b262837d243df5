/**
 * `nextToken`s of the lists ordered by user id (ListRoomUsers, ListBans): base64url of the last
 * user id returned. A token that does not decode is a ValidationException on `nextToken`.
 */
import { ValidationException, type FieldProblem } from '../domain/errors.js';

const BAD_TOKEN: FieldProblem = { name: 'nextToken', message: 'is not a token this service issued' };

export function encodeUserToken(userId: string): string {
  return Buffer.from(JSON.stringify({ u: userId })).toString('base64url');
}

function parseUserToken(token: string): string | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (typeof v === 'object' && v !== null) {
      const { u } = v as { u?: unknown };
      if (typeof u === 'string') return u;
    }
  } catch {
    // not a token of ours
  }
  return undefined;
}

/** The problem with a raw input's `nextToken` (a handler `check`); `""` is no token. */
export function userTokenProblems(input: Readonly<Record<string, unknown>>): FieldProblem[] {
  const token = input['nextToken'];
  return typeof token === 'string' && token !== '' && parseUserToken(token) === undefined ? [BAD_TOKEN] : [];
}

/** The user id after which the page starts; undefined for the first page. */
export function decodeUserToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const userId = parseUserToken(token);
  if (userId === undefined) throw ValidationException.fields([BAD_TOKEN]);
  return userId;
}

/** One page of `items` (ordered by userId) fetched with limit + 1, and the next page's token. */
export function userPage<T extends { readonly userId: string }>(items: readonly T[], limit: number): { items: T[]; nextToken?: string } {
  if (items.length <= limit) return { items: [...items] };
  const page = items.slice(0, limit);
  return { items: page, nextToken: encodeUserToken(page[page.length - 1]!.userId) };
}
