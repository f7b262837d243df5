/**
 * Decides whether a SigV4 claim (sigv4-claim.ts) is true for a request and a secret: checks the
 * time and the credential scope, rebuilds the canonical request (sigv4-canonical.ts: the JS
 * SDK's own canonical form, which is the one botocore produces too) and recomputes the
 * signature with node:crypto, compared in constant time. The derived signing key is cached per
 * (secret, date, region, service).
 *
 * Only the final HMACs are computed here rather than by `SignatureV4.sign`: they are a fixed
 * four-step derivation (cached as a KeyObject), then one node:crypto HMAC per request, and doing
 * them synchronously costs a fraction of re-signing through the library's async API.
 * test/auth/sigv4-equivalence.test.ts checks both agree on random requests.
 */
import { createHmac, createSecretKey, hash as digest, timingSafeEqual, type KeyObject } from 'node:crypto';
import { InvalidSignatureException } from '../domain/errors.js';
import type { SignedRequest } from './authenticator.js';
import { CanonicalRequests } from './sigv4-canonical.js';
import { ALGORITHM, type SignatureClaim } from './sigv4-claim.js';

/** How far, in ms, the signing time may be from the server clock (15 minutes, as AWS). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Signing keys kept per secret; a key lives one day, so this bounds distinct (date, region, service). */
const MAX_CACHED_KEYS = 64;

/** Verifies signatures made with one secret access key. One per credential. */
export class SecretVerifier {
  private readonly keys = new Map<string, KeyObject>();
  readonly canonical: CanonicalRequests;

  constructor(
    private readonly service: string,
    private readonly secretAccessKey: string,
  ) {
    this.canonical = new CanonicalRequests(service);
  }

  /** kSigning = HMAC chain over date, region, service, "aws4_request", starting from "AWS4" + secret. */
  private signingKey(date: string, region: string): KeyObject {
    const id = `${date}/${region}`;
    let key = this.keys.get(id);
    if (!key) {
      const derived = [date, region, this.service, 'aws4_request'].reduce<Buffer | string>(
        (k, part) => createHmac('sha256', k).update(part).digest(),
        `AWS4${this.secretAccessKey}`,
      ) as Buffer;
      key = createSecretKey(derived);
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
  if (!claim.amzDate.startsWith(claim.scopeDate)) {
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

/** The value of each signed header, in the order of `claim.signedHeaders`. */
function signedHeaderValues(request: SignedRequest, claim: SignatureClaim): string[] {
  const values: string[] = [];
  for (const name of claim.signedHeaders) {
    // Own properties only: a signed "constructor" must not find Object's.
    const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
    if (value === undefined) invalid(`The signed header ${name} is not in the request`);
    values.push(value);
  }
  return values;
}

/**
 * The payload hash the signer used: a signed `x-amz-content-sha256`, which must then describe
 * the body actually received (a client cannot claim a hash for another body), or the body's.
 */
function payloadHash(request: SignedRequest, claim: SignatureClaim): string {
  const bodyHash = digest('sha256', request.body, 'hex');
  const claimed = claim.signedHeaders.includes('x-amz-content-sha256') ? request.headers['x-amz-content-sha256'] : undefined;
  if (claimed !== undefined && claimed !== bodyHash) invalid('The x-amz-content-sha256 header does not match the request body');
  return bodyHash;
}

/** 64 lower-case hex digits: what a SigV4 signature is. */
const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;

/**
 * Throws InvalidSignatureException unless `claim.signature` is what `verifier` (holding the
 * claimed key's secret) computes for this request. `query` is the request's parsed query; in the
 * presigned form it holds the X-Amz-* parameters, which are signed as part of it (all but
 * X-Amz-Signature, which the canonical form leaves out).
 */
export function verifySignature(verifier: SecretVerifier, request: SignedRequest, query: Record<string, string | string[]>, claim: SignatureClaim): void {
  if (!SIGNATURE_SHAPE.test(claim.signature)) invalid('The signature must be 64 lower-case hex digits');
  const canonicalRequest = verifier.canonical.build({
    method: request.method,
    rawPath: request.rawPath,
    query,
    signedHeaders: claim.signedHeaders,
    values: signedHeaderValues(request, claim),
    payloadHash: payloadHash(request, claim),
  });
  const expected = verifier.sign(claim, canonicalRequest);
  // Both are 64 hex digits here, so the buffers have the same length, as timingSafeEqual needs.
  if (!timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(claim.signature, 'latin1'))) {
    invalid('The request signature does not match the one computed for it: check the secret access key and how the request is signed');
  }
}
