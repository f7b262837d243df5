/**
 * The authentication port: who sent a control-plane request, and what they may do. The open
 * implementation (open-authenticator.ts) lets everyone in as one account; a verifying
 * implementation checks SigV4 against the auth file. The transport hands over the request as
 * received; the core only sees the resulting Caller.
 */
import type { Scope } from '../domain/arn.js';

/** A request as it arrived, before any decoding: what a signature covers. */
export interface SignedRequest {
  readonly method: string;
  /** Path exactly as sent, still percent-encoded. */
  readonly rawPath: string;
  /** Query string without the `?`, as sent. */
  readonly rawQuery: string;
  /** Header names lower-cased; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface Caller {
  /** The account and region the request acts in. */
  readonly scope: Scope;
  /** An account that may read but not change anything until verified. */
  readonly pendingVerification: boolean;
  /** Whether the caller's policy allows `action` (e.g. `ivschat:UpdateRoom`) on `resource` (an ARN or `*`). */
  isAllowed(action: string, resource: string): boolean;
}

export interface Authenticator {
  /** 'open' lets any request in; 'enforced' verifies signatures. Printed at start. */
  readonly mode: 'open' | 'enforced';
  /** Identifies the caller or throws a catalogue error (403 family). */
  authenticate(request: SignedRequest): Promise<Caller>;
}

/**
 * The region a SigV4 credential scope names (`AKID/20240101/us-west-2/ivschat/aws4_request`),
 * from the Authorization header or the presigned `X-Amz-Credential` query parameter.
 */
export function signedRegion(request: SignedRequest): string | undefined {
  const header = request.headers['authorization'];
  let credential: string | undefined;
  if (header) credential = /Credential=([^,\s]+)/.exec(header)?.[1];
  else if (request.rawQuery.includes('X-Amz-Credential')) {
    credential = new URLSearchParams(request.rawQuery).get('X-Amz-Credential') ?? undefined;
  }
  const region = credential?.split('/')[2];
  return region && /^[a-z0-9-]+$/.test(region) ? region : undefined;
}
