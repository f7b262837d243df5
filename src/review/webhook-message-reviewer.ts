/**
 * Reviews through plain HTTP webhooks: POSTs the same JSON a Lambda handler would get and reads
 * the same answer. With a secret, each request carries
 * `x-parlor-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` so the
 * webhook can check it came from this server (docs/review.md).
 */
import { createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

/** Idle keep-alive sockets kept per origin. */
const IDLE_SOCKETS = 1024;

/** A handler's answer is small; more than this is a failure, not something to buffer. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export class WebhookMessageReviewer implements MessageReviewer {
  // node:http rather than fetch: a fraction of the CPU per call (measured in docs/benchmarks.md).
  // Keep-alive, no socket cap: the gate bounds concurrency per handler. Idle sockets are kept
  // up to that bound too (Node's default of 256 closes and reopens sockets after every burst).
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxFreeSockets: IDLE_SOCKETS });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxFreeSockets: IDLE_SOCKETS });

  private readonly urls = new Map<string, URL>();

  /** `targets`: function ARN → webhook; `now` in epoch milliseconds (tests pin it). */
  constructor(
    private readonly targets: ReadonlyMap<string, WebhookTarget>,
    private readonly now: () => number = Date.now,
  ) {
    for (const [arn, target] of targets) this.urls.set(arn, new URL(target.url));
  }

  /** True when `functionArn` is reviewed by a webhook here. */
  handles(functionArn: string): boolean {
    return this.targets.has(functionArn);
  }

  async invoke(functionArn: string, request: ReviewRequest, signal: AbortSignal): Promise<string> {
    const target = this.targets.get(functionArn);
    if (!target) throw new Error(`no webhook configured for ${functionArn}`);
    const body = JSON.stringify(request);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'parlor-review',
    };
    if (target.secret !== undefined) {
      headers[SIGNATURE_HEADER] = signatureHeader(target.secret, Math.floor(this.now() / 1000), body);
    }
    const { status, text } = await this.post(this.urls.get(functionArn)!, headers, body, signal);
    // Redirects are not followed: like any other non-2xx they are a failure.
    if (status < 200 || status > 299) throw new Error(`webhook ${target.url} answered HTTP ${status}: ${text.slice(0, 200)}`);
    return text;
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private post(url: URL, headers: Record<string, string | number>, body: string, signal: AbortSignal): Promise<{ status: number; text: string }> {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: 'POST', headers, agent: https ? this.httpsAgent : this.httpAgent, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`webhook answer over ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('webhook connection closed mid-answer'));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
