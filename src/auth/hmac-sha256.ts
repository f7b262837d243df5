/**
 * HMAC-SHA256 (RFC 2104) under one fixed key, computed as two one-shot SHA-256 digests over
 * precomputed key pads: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message)).
 *
 * Why not `createHmac`: on Node 20 every call builds a stream object, a C++ wrapper and an
 * OpenSSL MAC context (digest looked up by name), and frees them later in GC; per verified
 * request that cost several times the hashing itself. `crypto.hash` keeps its digest cached.
 * test/auth/hmac-sha256.test.ts checks it against `createHmac`.
 */
import { hash as digest } from 'node:crypto';

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;

export class HmacSha256Key {
  /** K ⊕ ipad, followed by room for the message (grown when a longer one comes). */
  private inner: Buffer;
  /** K ⊕ opad, followed by the inner digest. */
  private readonly outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES);
  /** `inner` up to the end of the last message. */
  private view: Buffer | undefined;

  /** `key` at most 64 bytes (a SigV4 signing key has 32). */
  constructor(key: Buffer) {
    if (key.length > BLOCK_BYTES) throw new RangeError('HMAC keys longer than the block size are not supported here');
    this.inner = Buffer.alloc(BLOCK_BYTES + 256);
    for (let i = 0; i < BLOCK_BYTES; i++) {
      const k = i < key.length ? key[i]! : 0;
      this.inner[i] = k ^ 0x36;
      this.outer[i] = k ^ 0x5c;
    }
  }

  /** The MAC of `message` (UTF-8) as 64 lower-case hex digits. */
  hex(message: string): string {
    // A UTF-16 unit never takes more than 3 UTF-8 bytes.
    if (BLOCK_BYTES + message.length * 3 > this.inner.length) {
      const grown = Buffer.alloc(BLOCK_BYTES + message.length * 3);
      this.inner.copy(grown, 0, 0, BLOCK_BYTES);
      this.inner = grown;
      this.view = undefined;
    }
    const length = BLOCK_BYTES + this.inner.write(message, BLOCK_BYTES, 'utf8');
    // SigV4 strings to sign under one key all have the same length: keep the view of that length.
    if (this.view?.length !== length) this.view = this.inner.subarray(0, length);
    digest('sha256', this.view, 'buffer').copy(this.outer, BLOCK_BYTES);
    return digest('sha256', this.outer, 'hex');
  }
}
