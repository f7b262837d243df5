/**
 * Reviews through plain HTTP webhooks: POSTs the same JSON a Lambda handler would get and reads
 * the same answer. With a secret, each request carries
 * `x-parlor-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` so the
 * webhook can check it came from this server (docs/review.md).
 */
import { createHmac } from 'node:crypto';
import type { MessageReviewer } from './message-reviewer.js';
import type { ReviewRequest } from './review-gate.js';

export interface WebhookTarget {
  /** `http:` or `https:` URL the review request is POSTed to. */
  readonly url: string;
  /** HMAC key for `x-parlor-signature`; without one requests go unsigned. */
  readonly secret?: string;
}

export const SIGNATURE_HEADER = 'x-parlor-signature';

/** The header value for `body` sent at `unixSeconds`. */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export class WebhookMessageReviewer implements MessageReviewer {
  /** `targets`: function ARN → webhook; `now` in epoch milliseconds (tests pin it). */
  constructor(
    private readonly targets: ReadonlyMap<string, WebhookTarget>,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `functionArn` is reviewed by a webhook here. */
  handles(functionArn: string): boolean {
    return this.targets.has(functionArn);
  }

  async invoke(functionArn: string, request: ReviewRequest, signal: AbortSignal): Promise<string> {
    const target = this.targets.get(functionArn);
    if (!target) throw new Error(`no webhook configured for ${functionArn}`);
    const body = JSON.stringify(request);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'parlor-review' };
    if (target.secret !== undefined) {
      headers[SIGNATURE_HEADER] = signatureHeader(target.secret, Math.floor(this.now() / 1000), body);
    }
    // A redirect is a failure like any other non-2xx: re-POSTing elsewhere is not asked for.
    const response = await fetch(target.url, { method: 'POST', headers, body, signal, redirect: 'error' });
    const text = await response.text();
    if (!response.ok) throw new Error(`webhook ${target.url} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    return text;
  }

  close(): void {
    // fetch's shared connection pool belongs to the process.
  }
}
