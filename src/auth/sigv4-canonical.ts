/**
 * The SigV4 canonical request, built by @smithy/signature-v4 as it builds it for the JS SDK (and
 * botocore for the same request): method, canonical path (segments URI-encoded a second time,
 * `.`/`..` resolved), canonical query, canonical headers, signed-header list, payload hash.
 * docs/adr/0002-sigv4-canonical-request-from-the-library.md says why there is no faster route.
 */
import type { HttpRequest } from '@smithy/types';
import { getCanonicalHeaders, SignatureV4Base } from '@smithy/signature-v4';
import { Hash } from '@smithy/core/serde';

/** The library's canonical request, reached through its base class. */
class LibraryForm extends SignatureV4Base {
  constructor(service: string) {
    super({ service, region: 'unused', credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: Hash.bind(null, 'sha256') });
  }
  build(request: HttpRequest, canonicalHeaders: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
}

export interface CanonicalInput {
  readonly method: string;
  /** As sent, still percent-encoded. */
  readonly rawPath: string;
  /** Parsed query (decoded names → values). */
  readonly query: Record<string, string | string[]>;
  /** The signed header names as the signer listed them (lower-case). */
  readonly signedHeaders: readonly string[];
  /** The value of each signed header, in the same order. */
  readonly values: readonly string[];
  readonly payloadHash: string;
}

/** Builds canonical requests for one service. */
export class CanonicalRequests {
  private readonly library: LibraryForm;

  constructor(service: string) {
    this.library = new LibraryForm(service);
  }

  build(input: CanonicalInput): string {
    const headers = Object.fromEntries(input.signedHeaders.map((n, i) => [n, input.values[i]!]));
    const shape = { method: input.method, path: input.rawPath, query: input.query, headers } as HttpRequest;
    const canonicalHeaders = getCanonicalHeaders(shape, undefined, new Set(input.signedHeaders));
    return this.library.build(shape, canonicalHeaders, input.payloadHash);
  }
}
