/**
 * Reviews through plain HTTP webhooks: POSTs the same JSON a Lambda handler would get and reads
 * the same answer. With a secret, each request carries
 * `x-parlor-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` so the
 * webhook can check it came from this server (docs/review.md).
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { TurnEnd } from '../lib/turn-end.js';
import { Http1Pool } from './http1-pool.js';
import type { Cancellation, MessageReviewer } from './message-reviewer.js';
import type { ReviewRequest } from './review-gate.js';

export interface WebhookTarget {
  /** `http:` or `https:` URL the review request is POSTed to. */
  readonly url: string;
  /** HMAC key for `x-parlor-signature`; without one requests go unsigned. */
  readonly secret?: string;
}

export const SIGNATURE_HEADER = 'x-parlor-signature';

/** The header value for `body` sent at `unixSeconds`. */
export function signatureHeader(secret: string | KeyObject, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export { MAX_ANSWER_BYTES } from './http1-connection.js';

/** A configured webhook, ready to send to. */
interface Route {
  readonly url: string;
  readonly pool: Http1Pool;
  /** Request line and fixed headers, up to the content-length value. */
  readonly head: string;
  readonly key: KeyObject | undefined;
}

export class WebhookMessageReviewer implements MessageReviewer {
  private readonly routes = new Map<string, Route>();

  /**
   * `targets`: function ARN → webhook; `turnEnd`: the node's batching (requests leave in its
   * `requests` stage); `now` in epoch milliseconds (tests pin it).
   */
  constructor(
    targets: ReadonlyMap<string, WebhookTarget>,
    turnEnd: TurnEnd,
    private readonly now: () => number = Date.now,
  ) {
    // One pool per origin, shared by every ARN routed to it.
    const pools = new Map<string, Http1Pool>();
    for (const [arn, target] of targets) {
      const url = new URL(target.url);
      const tls = url.protocol === 'https:';
      let pool = pools.get(url.origin);
      if (!pool) {
        // WHATWG URL keeps IPv6 hosts in brackets; sockets want them bare.
        const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
        pool = new Http1Pool({ tls, hostname, port: Number(url.port || (tls ? 443 : 80)) }, turnEnd);
        pools.set(url.origin, pool);
      }
      // Credentials in the URL become Basic authentication, as node:http did with them.
      const credentials = url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
      const authorization = credentials === undefined ? '' : `authorization: Basic ${Buffer.from(credentials, 'utf8').toString('base64')}\r\n`;
      const head =
        `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n${authorization}` +
        'user-agent: parlor-review\r\ncontent-type: application/json\r\ncontent-length: ';
      this.routes.set(arn, { url: target.url, pool, head, key: target.secret === undefined ? undefined : createSecretKey(Buffer.from(target.secret, 'utf8')) });
    }
  }

  /** True when `functionArn` is reviewed by a webhook here. */
  handles(functionArn: string): boolean {
    return this.routes.has(functionArn);
  }

  async invoke(functionArn: string, request: ReviewRequest, cancellation: Cancellation): Promise<string> {
    const route = this.routes.get(functionArn);
    if (!route) throw new Error(`no webhook configured for ${functionArn}`);
    const body = JSON.stringify(request);
    const signature = route.key === undefined ? '' : `${SIGNATURE_HEADER}: ${signatureHeader(route.key, Math.floor(this.now() / 1000), body)}\r\n`;
    const wire = `${route.head}${Buffer.byteLength(body)}\r\n${signature}\r\n${body}`;
    const { status, text } = await route.pool.request(wire, cancellation);
    // Redirects are not followed: like any other non-2xx they are a failure.
    if (status < 200 || status > 299) throw new Error(`webhook ${route.url} answered HTTP ${status}: ${text.slice(0, 200)}`);
    return text;
  }

  close(): void {
    for (const route of this.routes.values()) route.pool.close();
  }
}
