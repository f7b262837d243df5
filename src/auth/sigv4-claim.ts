/**
 * Reads what a SigV4-signed request claims — who signed it, when, for which region and
 * service, which headers, and the signature — from the `Authorization` header or from the
 * presigned query-string form (`X-Amz-Algorithm`, `X-Amz-Credential`, …). Only the shape is
 * checked here; sigv4-verifier.ts decides whether the claim is true.
 */
import { IncompleteSignatureException, MissingAuthenticationTokenException } from '../domain/errors.js';
import type { SignedRequest } from './authenticator.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Query parameters of the presigned form that the signer itself adds. */
export const PRESIGN_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];
/** Longest validity a presigned request may ask for, in seconds (7 days, as AWS). */
export const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

export interface SignatureClaim {
  readonly form: 'header' | 'query';
  readonly accessKeyId: string;
  /** Credential scope parts. */
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  /** Lower-case header names, as listed by the signer. */
  readonly signedHeaders: readonly string[];
  /** 64 lower-case hex digits. */
  readonly signature: string;
  /** `YYYYMMDDTHHMMSSZ` as sent, and the instant it names (ms since epoch). */
  readonly amzDate: string;
  readonly signedAt: number;
  /** Presigned form only: seconds the signature stays valid after `signedAt`. */
  readonly expiresSeconds: number | undefined;
}

/** The parsed form of an empty query string, shared (frozen): most requests have none. */
const NO_QUERY: Record<string, string | string[]> = Object.freeze(Object.create(null) as Record<string, string | string[]>);

/** Query string → decoded name → value(s); `+` stays `+`, bad escapes stay as sent. */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  if (rawQuery === '') return NO_QUERY;
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decode(eq >= 0 ? piece.slice(0, eq) : piece);
    const value = decode(eq >= 0 ? piece.slice(eq + 1) : '');
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function incomplete(message: string): never {
  throw new IncompleteSignatureException(message);
}

/** The number the decimal digits value[from..to) spell, or NaN when one is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * `20240102T030405Z` → ms since epoch; undefined unless it is a real instant in that exact form
 * (years before 100 included: Date.UTC would read them as 19xx). Read digit by digit: it runs
 * on every request.
 */
export function parseAmzDate(value: string): number | undefined {
  if (value.length !== 16 || value[8] !== 'T' || value[15] !== 'Z') return undefined;
  const y = digits(value, 0, 4);
  const mo = digits(value, 4, 6);
  const d = digits(value, 6, 8);
  const h = digits(value, 9, 11);
  const mi = digits(value, 11, 13);
  const s = digits(value, 13, 15);
  // NaN fails every comparison, so a non-digit never gets through.
  if (!(y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 59)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function credentialScope(credential: string): Pick<SignatureClaim, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> {
  const parts = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request') {
    incomplete('Credential must be <access key id>/<yyyymmdd>/<region>/<service>/aws4_request');
  }
  if (!(scopeDate.length === 8 && digits(scopeDate, 0, 8) >= 0)) incomplete('The date of the credential scope must be yyyymmdd');
  if (!/^[a-z0-9-]{1,32}$/.test(region)) incomplete('The region of the credential scope is not a region name');
  return { accessKeyId, scopeDate, region, service };
}

/** Lower-case header names (RFC 9110 token characters) separated by single `;`. */
const SIGNED_HEADER_LIST = /^[a-z0-9!#$%&'*+.^_`|~-]+(?:;[a-z0-9!#$%&'*+.^_`|~-]+)*$/;

function signedHeaderList(value: string): string[] {
  if (!SIGNED_HEADER_LIST.test(value)) incomplete('SignedHeaders must be lower-case header names separated by ";"');
  return value.split(';');
}

function amzDate(value: string | undefined, where: string): { amzDate: string; signedAt: number } {
  if (value === undefined) incomplete(`The request must give the signing time in ${where}`);
  const signedAt = parseAmzDate(value);
  if (signedAt === undefined) incomplete(`${where} must be a UTC time in the form yyyymmddThhmmssZ`);
  return { amzDate: value, signedAt };
}

/** The layout every SDK writes; anything else goes through the field-by-field reading. */
const USUAL_HEADER = /^AWS4-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([^,\s]*)$/;

interface HeaderFields {
  Credential?: string;
  SignedHeaders?: string;
  Signature?: string;
}

function headerFields(header: string): HeaderFields {
  const usual = USUAL_HEADER.exec(header);
  if (usual) return { Credential: usual[1]!, SignedHeaders: usual[2]!, Signature: usual[3]! };
  if (!header.startsWith(`${ALGORITHM} `)) incomplete(`The Authorization header must use ${ALGORITHM}`);
  const fields: HeaderFields = {};
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq) : '';
    if ((name !== 'Credential' && name !== 'SignedHeaders' && name !== 'Signature') || fields[name] !== undefined) {
      incomplete('The Authorization header must hold Credential=, SignedHeaders= and Signature= once each');
    }
    fields[name] = item.slice(eq + 1);
  }
  return fields;
}

/** The claim from its parts; one object literal (no spreads), since it is built per request. */
function claim(
  form: SignatureClaim['form'],
  credential: string,
  signedHeaders: string,
  signature: string,
  date: [value: string | undefined, where: string],
  expiresSeconds: number | undefined,
): SignatureClaim {
  const scope = credentialScope(credential);
  const names = signedHeaderList(signedHeaders);
  const time = amzDate(date[0], date[1]);
  return {
    form,
    accessKeyId: scope.accessKeyId,
    scopeDate: scope.scopeDate,
    region: scope.region,
    service: scope.service,
    signedHeaders: names,
    signature,
    amzDate: time.amzDate,
    signedAt: time.signedAt,
    expiresSeconds,
  };
}

function fromHeader(header: string, request: SignedRequest): SignatureClaim {
  const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = headerFields(header);
  if (!credential || !signedHeaders || signature === undefined) {
    incomplete('The Authorization header must hold Credential=, SignedHeaders= and Signature= once each');
  }
  return claim('header', credential, signedHeaders, signature, [request.headers['x-amz-date'], 'the X-Amz-Date header'], undefined);
}

function fromQuery(query: Record<string, string | string[]>): SignatureClaim {
  const one = (name: string): string => {
    const value = query[name];
    if (typeof value !== 'string') incomplete(`The presigned request must give ${name} exactly once`);
    return value;
  };
  if (one('X-Amz-Algorithm') !== ALGORITHM) incomplete(`X-Amz-Algorithm must be ${ALGORITHM}`);
  const expires = one('X-Amz-Expires');
  if (!/^\d{1,7}$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_EXPIRES_SECONDS) {
    incomplete(`X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}`);
  }
  return claim('query', one('X-Amz-Credential'), one('X-Amz-SignedHeaders'), one('X-Amz-Signature'), [one('X-Amz-Date'), 'X-Amz-Date'], Number(expires));
}

/**
 * The signature a request claims. Throws MissingAuthenticationTokenException when it carries
 * none, IncompleteSignatureException when what it carries cannot be read.
 */
export function readSignature(request: SignedRequest, query: Record<string, string | string[]>): SignatureClaim {
  const header = request.headers['authorization'];
  if (header !== undefined) return fromHeader(header, request);
  if (PRESIGN_PARAMS.some((p) => query[p] !== undefined)) return fromQuery(query);
  throw new MissingAuthenticationTokenException('Missing Authentication Token: the request carries no SigV4 signature');
}
