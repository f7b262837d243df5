/**
 * Decides whether a SigV4 claim (sigv4-claim.ts) is true for a request and a secret: checks the
 * time and the credential scope, rebuilds the canonical request with @smithy/signature-v4 — the
 * JS SDK's own canonical form (path segments URI-encoded a second time, query decoded then
 * re-encoded and sorted, header values trimmed), which is the one botocore produces too — and
 * recomputes the signature with node:crypto, compared in constant time. The derived signing
 * key is cached per (secret, date, region, service).
 *
 * Only the final HMACs are computed here rather than by `SignatureV4.sign`: they are a fixed
 * four-step derivation, and doing them synchronously costs a third of re-signing through the
 * library's async API. test/auth/sigv4-equivalence.test.ts checks both agree on random requests.
 */
import { createHmac, hash as digest, timingSafeEqual } from 'node:crypto';
import type { HttpRequest } from '@smithy/types';
import { getCanonicalHeaders, SignatureV4Base } from '@smithy/signature-v4';
import { Hash } from '@smithy/core/serde';
import { InvalidSignatureException } from '../domain/errors.js';
import type { SignedRequest } from './authenticator.js';
import { ALGORITHM, type SignatureClaim } from './sigv4-claim.js';

/** How far, in ms, the signing time may be from the server clock (15 minutes, as AWS). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Signing keys kept per secret; a key lives one day, so this bounds distinct (date, region, service). */
const MAX_CACHED_KEYS = 64;

/** The library's canonical request, reached through its base class. */
class CanonicalForm extends SignatureV4Base {
  constructor(service: string) {
    super({ service, region: 'unused', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: Hash.bind(null, 'sha256') });
  }
  build(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
}

/** Verifies signatures made with one secret access key. One per credential. */
export class SecretVerifier {
  private readonly keys = new Map<string, Buffer>();
  private readonly canonical: CanonicalForm;

  constructor(
    private readonly service: string,
    private readonly secretAccessKey: string,
  ) {
    this.canonical = new CanonicalForm(service);
  }

  /** kSigning = HMAC chain over date, region, service, "aws4_request", starting from "AWS4" + secret. */
  private signingKey(date: string, region: string): Buffer {
    const id = `${date}/${region}`;
    let key = this.keys.get(id);
    if (!key) {
      key = [date, region, this.service, 'aws4_request'].reduce<Buffer | string>(
        (k, part) => createHmac('sha256', k).update(part).digest(),
        `AWS4${this.secretAccessKey}`,
      ) as Buffer;
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(id, key);
    }
    return key;
  }

  /** The signature this secret gives the canonical request. */
  sign(claim: SignatureClaim, canonicalRequest: string): string {
    const scope = `${claim.scopeDate}/${claim.region}/${claim.service}/aws4_request`;
    const stringToSign = `${ALGORITHM}\n${claim.amzDate}\n${scope}\n${digest('sha256', canonicalRequest, 'hex')}`;
    return createHmac('sha256', this.signingKey(claim.scopeDate, claim.region)).update(stringToSign).digest('hex');
  }

  canonicalRequest(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    return this.canonical.build(request, canonicalHeaders, payloadHash);
  }
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
    // Own properties only: a signed "constructor" must not find Object's.
    const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
    if (value === undefined) invalid(`The signed header ${name} is not in the request`);
    headers[name] = value;
  }
  return headers;
}

/**
 * The payload hash the signer used: a signed `x-amz-content-sha256`, which must then describe
 * the body actually received (a client cannot claim a hash for another body), or the body's.
 */
function payloadHash(request: SignedRequest, headers: Record<string, string>): string {
  const bodyHash = digest('sha256', request.body, 'hex');
  const claimed = headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== bodyHash) invalid('The x-amz-content-sha256 header does not match the request body');
  return bodyHash;
}

function sameSignature(expected: string, given: string): boolean {
  return expected.length === given.length && timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(given, 'latin1'));
}

/**
 * Throws InvalidSignatureException unless `claim.signature` is what `verifier` (holding the
 * claimed key's secret) computes for this request. `query` is the request's parsed query; in the
 * presigned form it holds the X-Amz-* parameters, which are signed as part of it (all but
 * X-Amz-Signature, which the canonical form leaves out).
 */
export function verifySignature(verifier: SecretVerifier, request: SignedRequest, query: Record<string, string | string[]>, claim: SignatureClaim): void {
  if (!/^[0-9a-f]{64}$/.test(claim.signature)) invalid('The signature must be 64 lower-case hex digits');
  const headers = signedHeaderValues(request, claim);
  const hash = payloadHash(request, headers);
  const shape = { method: request.method, path: request.rawPath, query, headers } as HttpRequest;
  const canonicalHeaders = getCanonicalHeaders(shape, undefined, new Set(claim.signedHeaders));
  const expected = verifier.sign(claim, verifier.canonicalRequest(shape, canonicalHeaders, hash));
  if (!sameSignature(expected, claim.signature)) {
    invalid('The request signature does not match the one computed for it: check the secret access key and how the request is signed');
  }
}
