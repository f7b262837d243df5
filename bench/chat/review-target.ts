/**
 * The review part of the `parlor-review` target: an instant webhook child on the load
 * generator's core (so the server core measures Parlor's own cost of review, as with a handler
 * elsewhere), the Parlor flags that route every room's handler ARN to it, and a count of the
 * reviews Parlor made (from /metrics) to show that every message really was reviewed.
 */
import { spawnNode, stopChild, waitForLine } from './proc.js';

/** CPU of the webhook child: the load generator's (step.ts LOADGEN_CORE). */
const WEBHOOK_CORE = 1;

/** The function ARN every bench room names; PARLOR_REVIEW_WEBHOOKS sends it to the webhook. */
const HANDLER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:bench-review';

export interface ReviewSetup {
  /** Extra Parlor flags. */
  readonly args: readonly string[];
  /** DENY fallback: a review that fails shows up as ERROR 406 frames, so the step fails. */
  readonly handler: { readonly uri: string; readonly fallbackResult: 'DENY' };
  /** parlor_reviews_total by outcome, as one line. */
  summary(parlorPort: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startReviewWebhook(): Promise<ReviewSetup> {
  const child = spawnNode(WEBHOOK_CORE, ['--import', 'tsx', 'bench/chat/servers/review-webhook.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = Number(await waitForLine(child, /\{"port":(\d+)\}/, 20_000));
  child.stdout?.on('data', () => undefined);
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[review-webhook] ${chunk.toString()}`));
  const webhooks = { [HANDLER_ARN]: { url: `http://127.0.0.1:${port}/review`, secret: 'bench-secret' } };
  return {
    args: ['--review-webhooks', JSON.stringify(webhooks)],
    handler: { uri: HANDLER_ARN, fallbackResult: 'DENY' },
    async summary(parlorPort) {
      try {
        const text = await (await fetch(`http://127.0.0.1:${parlorPort}/metrics`)).text();
        const counts = [...text.matchAll(/^parlor_reviews_total\{outcome="([a-z]+)",reason="([a-z]+)"\} (\d+)$/gm)].map(
          ([, outcome, reason, n]) => `${outcome}${reason === 'none' ? '' : `/${reason}`} ${n}`,
        );
        // The longest event-loop stall since the last scrape: a stall past the review deadline
        // turns into fallbacks even with an instant handler.
        const lag = /^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m.exec(text)?.[1];
        const stall = lag === undefined ? '' : `; Parlor's longest event-loop stall ${Math.round(Number(lag) * 1000)} ms`;
        // Share of allowed reviews decided within 1, 2.5, 5 and 50 ms (from the duration histogram).
        const bucket = (le: string): number =>
          Number(new RegExp(`^parlor_review_duration_seconds_bucket\\{le="${le}",outcome="allowed"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
        const all = bucket('\\+Inf');
        const within = all > 0 ? `; decided within 1 / 2.5 / 5 / 50 ms: ${['0.001', '0.0025', '0.005', '0.05'].map((le) => pct(bucket(le) / all)).join(' / ')}` : '';
        return `${counts.length > 0 ? counts.join(', ') : 'none counted'}${within}${stall}`;
      } catch (err) {
        return `metrics unavailable (${(err as Error).message})`;
      }
    },
    stop: () => stopChild(child),
  };
}

const pct = (share: number): string => `${(100 * share).toFixed(share > 0.999 ? 2 : 1)}%`;

