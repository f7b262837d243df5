/**
 * Decides whether a SigV4 claim (sigv4-claim.ts) is true for a request and a secret: checks the
 * time and the credential scope, then signs the request again with @smithy/signature-v4 — the
 * signer of the JS SDK, whose canonical form (path segments URI-encoded a second time, sorted
 * query, trimmed headers) is the one botocore produces too — and compares in constant time.
 * The derived signing key is cached by the library per (secret, date, region, service).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { InvalidSignatureException } from '../domain/errors.js';
import type { SignedRequest } from './authenticator.js';
import { PRESIGN_PARAMS, type SignatureClaim } from './sigv4-claim.js';

/** How far, in ms, the signing time may be from the server clock (15 minutes, as AWS). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

/** Re-signs requests for one key pair. One per credential; cheap to keep. */
export function signerFor(service: string, accessKeyId: string, secretAccessKey: string): SignatureV4 {
  return new SignatureV4({
    service,
    region: 'us-east-1', // every call names the scope's region
    credentials: { accessKeyId, secretAccessKey },
    sha256: Sha256,
    applyChecksum: false,
  });
}

function invalid(message: string): never {
  throw new InvalidSignatureException(message);
}

function format(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/** The time and scope rules; throws InvalidSignatureException. */
export function checkClaim(claim: SignatureClaim, service: string, now: number): void {
  if (claim.service !== service) invalid(`The credential scope must name the service ${service}, not ${claim.service}`);
  if (claim.amzDate.slice(0, 8) !== claim.scopeDate) {
    invalid(`The date of the credential scope (${claim.scopeDate}) is not the date of the signing time ${claim.amzDate}`);
  }
  if (!claim.signedHeaders.includes('host')) invalid('The host header must be signed');
  if (claim.signedAt > now + MAX_CLOCK_SKEW_MS) {
    invalid(`Signature not yet current: ${claim.amzDate} is more than 15 minutes after the server time ${format(now)}`);
  }
  if (claim.expiresSeconds === undefined) {
    if (claim.signedAt < now - MAX_CLOCK_SKEW_MS) {
      invalid(`Signature expired: ${claim.amzDate} is more than 15 minutes before the server time ${format(now)}`);
    }
  } else if (claim.signedAt + claim.expiresSeconds * 1000 < now) {
    invalid(`Signature expired: the presigned request was valid until ${format(claim.signedAt + claim.expiresSeconds * 1000)}`);
  }
}

function signedHeaderValues(request: SignedRequest, claim: SignatureClaim): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) invalid(`The signed header ${name} is not in the request`);
    headers[name] = value;
  }
  // A claimed payload hash is only as good as the body it claims to describe.
  const claimedHash = headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(request.body).digest('hex')) {
    invalid('The x-amz-content-sha256 header does not match the request body');
  }
  return headers;
}

function sameSignature(expected: string | undefined, given: string): boolean {
  if (expected === undefined || expected.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(given, 'latin1'));
}

/**
 * Throws InvalidSignatureException unless `claim.signature` is what `signer` (holding the
 * claimed key's secret) computes for this request. `query` is the request's parsed query.
 */
export async function verifySignature(
  signer: SignatureV4,
  request: SignedRequest,
  query: Record<string, string | string[]>,
  claim: SignatureClaim,
): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(claim.signature)) invalid('The signature must be 64 lower-case hex digits');
  const headers = signedHeaderValues(request, claim);
  const signedNames = new Set(claim.signedHeaders);
  const ownQuery: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of Object.entries(query)) {
    if (claim.form === 'header' || !PRESIGN_PARAMS.includes(name)) ownQuery[name] = value;
  }
  const unsigned = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: headers['host'] ?? '',
    path: request.rawPath,
    query: ownQuery,
    headers,
    body: request.body,
  });
  const options = { signingDate: new Date(claim.signedAt), signingRegion: claim.region, signableHeaders: signedNames };
  let expected: string | undefined;
  if (claim.form === 'header') {
    const signed = await signer.sign(unsigned, options);
    expected = /Signature=([0-9a-f]+)$/.exec(signed.headers['authorization'] ?? '')?.[1];
  } else {
    const presigned = await signer.presign(unsigned, { ...options, expiresIn: claim.expiresSeconds, unhoistableHeaders: signedNames });
    const value = presigned.query?.['X-Amz-Signature'];
    expected = typeof value === 'string' ? value : undefined;
  }
  if (!sameSignature(expected, claim.signature)) {
    invalid('The request signature does not match the one computed for it: check the secret access key and how the request is signed');
  }
}
