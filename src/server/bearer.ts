/** `Authorization: Bearer <token>` checks (for /metrics), compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PlainAnswer } from './http-server.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Whether `req` carries `token` as its bearer token. */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/** The 401 a plain route answers without the right bearer token. */
export const BEARER_REQUIRED: PlainAnswer = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer realm="parlor"' },
  contentType: 'application/json',
  body: JSON.stringify({ message: 'This endpoint requires Authorization: Bearer <PARLOR_METRICS_TOKEN>' }),
};
