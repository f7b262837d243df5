/**
 * The wire form of a chat token: `<payload>.<signature>`, both base64url without padding, so
 * the token only holds RFC 7230 `tchar` characters and can travel as the WebSocket
 * sub-protocol. The payload is the claims as JSON; the signature is HMAC-SHA256 over the
 * payload text with the server's secret. The holder can read its own claims (user id,
 * capabilities, attributes) but cannot change them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isCapability, type Capability, type ChatTokenClaims } from '../domain/chat-token.js';

interface WireClaims {
  v: 1;
  /** token id */
  t: string;
  r: string;
  u: string;
  c: string[];
  a: Record<string, string>;
  /** token expiry, epoch ms */
  te: number;
  /** session expiry, epoch ms */
  se: number;
}

export class ChatTokenCodec {
  readonly #secret: Buffer;

  /** `secret`: at least 32 random bytes, kept by the server. */
  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('The chat token secret must be at least 32 bytes');
    this.#secret = secret;
  }

  encode(claims: ChatTokenClaims): string {
    const wire: WireClaims = {
      v: 1,
      t: claims.tokenId,
      r: claims.roomArn,
      u: claims.userId,
      c: [...claims.capabilities],
      a: { ...claims.attributes },
      te: claims.tokenExpiresAt,
      se: claims.sessionExpiresAt,
    };
    const payload = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
    return `${payload}.${this.#sign(payload).toString('base64url')}`;
  }

  /** The claims of a token this server signed; undefined for anything else (never throws). */
  decode(token: string): ChatTokenClaims | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return undefined;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.#sign(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let wire: unknown;
    try {
      wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    return claimsOf(wire);
  }

  #sign(payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest();
  }
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Signed payloads come from this server, but a changed format must not crash the gateway. */
function claimsOf(wire: unknown): ChatTokenClaims | undefined {
  if (typeof wire !== 'object' || wire === null) return undefined;
  const w = wire as Partial<Record<keyof WireClaims, unknown>>;
  if (w.v !== 1 || typeof w.t !== 'string' || typeof w.r !== 'string' || typeof w.u !== 'string') return undefined;
  if (typeof w.te !== 'number' || typeof w.se !== 'number' || !isStringMap(w.a)) return undefined;
  if (!Array.isArray(w.c) || !w.c.every(isCapability)) return undefined;
  return {
    tokenId: w.t,
    roomArn: w.r,
    userId: w.u,
    capabilities: w.c as Capability[],
    attributes: w.a,
    tokenExpiresAt: w.te,
    sessionExpiresAt: w.se,
  };
}
