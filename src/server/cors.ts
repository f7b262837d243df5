/**
 * CORS for the control plane, opt-in (PARLOR_CORS_ORIGINS). A browser page on an allowed
 * origin gets its preflight answered with what the AWS SDK for JavaScript sends (SigV4 and
 * `amz-sdk-*` headers) and every answer carries `Access-Control-Allow-Origin` and exposes the
 * headers the SDK reads (request id, error type, date for clock-skew correction). Chat
 * WebSockets are not subject to CORS; their token is the credential.
 */
import type { IncomingMessage } from 'node:http';

/** Request headers a page may send: what SDK v3 sets on an ivschat call (no cookies: SigV4 is in headers). */
const ALLOWED_REQUEST_HEADER = /^(authorization|content-type|x-amz-[a-z0-9-]+|amz-sdk-[a-z0-9-]+)$/;
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const EXPOSED_HEADERS = 'x-amzn-requestid, x-amzn-errortype, x-amzn-error-message, x-amz-request-id, date, content-length';
/** Seconds a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_S = 600;

export interface Cors {
  /** Headers for an answer to `req` (empty when its Origin is not allowed). */
  headers(req: IncomingMessage): Record<string, string>;
  /** The answer to a preflight from an allowed origin; undefined when `req` is not one. */
  preflight(req: IncomingMessage): { status: number; headers: Record<string, string> } | undefined;
}

export function createCors(origins: readonly string[]): Cors {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  const allowOrigin = (req: IncomingMessage): string | undefined => {
    const origin = req.headers.origin;
    if (origins.length === 0 || origin === undefined) return undefined;
    if (any) return '*';
    return allowed.has(origin) ? origin : undefined;
  };
  const base = (origin: string): Record<string, string> => (origin === '*' ? { 'access-control-allow-origin': '*' } : { 'access-control-allow-origin': origin, vary: 'Origin' });
  return {
    headers(req) {
      const origin = allowOrigin(req);
      return origin === undefined ? {} : { ...base(origin), 'access-control-expose-headers': EXPOSED_HEADERS };
    },
    preflight(req) {
      if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return undefined;
      const origin = allowOrigin(req);
      if (origin === undefined) return undefined;
      const requested = (req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => ALLOWED_REQUEST_HEADER.test(h));
      return {
        status: 204,
        headers: {
          ...base(origin),
          'access-control-allow-methods': ALLOWED_METHODS,
          ...(requested.length > 0 ? { 'access-control-allow-headers': requested.join(', ') } : {}),
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
        },
      };
    },
  };
}
