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

/** Query string → decoded name → value(s); `+` stays `+`, bad escapes stay as sent. */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
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

/** `20240102T030405Z` → ms since epoch; undefined unless it is a real instant in that exact form. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 31 April over to 1 May, and maps years 0–99 to 1900–1999.
  const back = new Date(ms);
  return back.getUTCDate() === d && back.getUTCFullYear() === y ? ms : undefined;
}

function credentialScope(credential: string): Pick<SignatureClaim, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> {
  const parts = credential.split('/');
  const [accessKeyId, scopeDate, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request') {
    incomplete('Credential must be <access key id>/<yyyymmdd>/<region>/<service>/aws4_request');
  }
  if (!/^\d{8}$/.test(scopeDate)) incomplete('The date of the credential scope must be yyyymmdd');
  if (!/^[a-z0-9-]{1,32}$/.test(region)) incomplete('The region of the credential scope is not a region name');
  return { accessKeyId, scopeDate, region, service };
}

function signedHeaderList(value: string): string[] {
  const names = value.split(';');
  if (names.some((n) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(n))) incomplete('SignedHeaders must be lower-case header names separated by ";"');
  return names;
}

function amzDate(value: string | undefined, where: string): { amzDate: string; signedAt: number } {
  if (value === undefined) incomplete(`The request must give the signing time in ${where}`);
  const signedAt = parseAmzDate(value);
  if (signedAt === undefined) incomplete(`${where} must be a UTC time in the form yyyymmddThhmmssZ`);
  return { amzDate: value, signedAt };
}

/** The layout every SDK writes; anything else goes through the field-by-field reading. */
const USUAL_HEADER = /^AWS4-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([^,\s]*)$/;

function headerFields(header: string): Map<string, string> {
  const usual = USUAL_HEADER.exec(header);
  if (usual) return new Map([['Credential', usual[1]!], ['SignedHeaders', usual[2]!], ['Signature', usual[3]!]]);
  if (!header.startsWith(`${ALGORITHM} `)) incomplete(`The Authorization header must use ${ALGORITHM}`);
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq) : '';
    if (!['Credential', 'SignedHeaders', 'Signature'].includes(name) || fields.has(name)) {
      incomplete('The Authorization header must hold Credential=, SignedHeaders= and Signature= once each');
    }
    fields.set(name, item.slice(eq + 1));
  }
  return fields;
}

function fromHeader(header: string, request: SignedRequest): SignatureClaim {
  const fields = headerFields(header);
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || signature === undefined) {
    incomplete('The Authorization header must hold Credential=, SignedHeaders= and Signature= once each');
  }
  return {
    form: 'header',
    ...credentialScope(credential),
    signedHeaders: signedHeaderList(signedHeaders),
    signature,
    ...amzDate(request.headers['x-amz-date'], 'the X-Amz-Date header'),
    expiresSeconds: undefined,
  };
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
  return {
    form: 'query',
    ...credentialScope(one('X-Amz-Credential')),
    signedHeaders: signedHeaderList(one('X-Amz-SignedHeaders')),
    signature: one('X-Amz-Signature'),
    ...amzDate(one('X-Amz-Date'), 'X-Amz-Date'),
    expiresSeconds: Number(expires),
  };
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
