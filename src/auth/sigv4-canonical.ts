/**
 * The SigV4 canonical request as @smithy/signature-v4 builds it for the JS SDK (and botocore
 * for the same request): method, canonical path (segments URI-encoded a second time, `.`/`..`
 * resolved), canonical query, canonical headers, signed-header list, payload hash.
 *
 * The common control-plane request — a path of plain segments and no query — is assembled here
 * directly, because the library's general code (object per request, sorting object keys,
 * splitting and re-encoding the path, three regex replaces per header) costs more server CPU
 * than the rest of the verification together. Every other request goes through the library.
 * test/auth/sigv4-equivalence.test.ts checks both routes against the SDK's signer.
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

/**
 * Paths the canonical form leaves exactly as they are: one or more non-empty segments of
 * unreserved characters (nothing to encode), none starting with `.` (so no `.`/`..` to resolve),
 * no trailing `/`.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;
/** Header values the canonical form changes: line breaks, tabs, runs of spaces, a space at either end. */
const UNTIDY_VALUE = /[\r\n\t]| {2}|^ | $/;

/** The library's header value rule: CR/LF → space, runs of spaces and tabs → one space, one space trimmed at each end. */
function canonicalValue(value: string): string {
  if (!UNTIDY_VALUE.test(value)) return value;
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * Header names sorted and unique with their values, as the keys of the library's canonical-header
 * object come out. Signers already list them so; anything else is put in that order here.
 */
function sortedUnique(names: readonly string[], values: readonly string[]): { names: readonly string[]; values: readonly string[] } {
  for (let i = 1; i < names.length; i++) {
    if (!(names[i - 1]! < names[i]!)) {
      const byName = new Map(names.map((n, j) => [n, values[j]!]));
      const sorted = [...byName.keys()].sort();
      return { names: sorted, values: sorted.map((n) => byName.get(n)!) };
    }
  }
  return { names, values };
}

export interface CanonicalInput {
  readonly method: string;
  /** As sent, still percent-encoded. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Parsed query (decoded names → values), for the library route. */
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
    if (input.rawQuery !== '' || !PLAIN_PATH.test(input.rawPath)) return this.viaLibrary(input);
    const { names, values } = sortedUnique(input.signedHeaders, input.values);
    let lines = '';
    for (let i = 0; i < names.length; i++) lines += `${names[i]}:${canonicalValue(values[i]!)}\n`;
    return `${input.method}\n${input.rawPath}\n\n${lines}\n${names.join(';')}\n${input.payloadHash}`;
  }

  private viaLibrary(input: CanonicalInput): string {
    const headers = Object.fromEntries(input.signedHeaders.map((n, i) => [n, input.values[i]!]));
    const shape = { method: input.method, path: input.rawPath, query: input.query, headers } as HttpRequest;
    const canonicalHeaders = getCanonicalHeaders(shape, undefined, new Set(input.signedHeaders));
    return this.library.build(shape, canonicalHeaders, input.payloadHash);
  }
}
