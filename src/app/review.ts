/**
 * Builds the review gate from configuration: function ARNs listed in PARLOR_REVIEW_WEBHOOKS go
 * to their webhook, every other ARN to Lambda through the standard AWS SDK chain.
 */
import type { LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { Logger } from 'pino';
import type { AwaitedAnswers } from '../lib/awaited-answers.js';
import type { TurnEnd } from '../lib/turn-end.js';
import type { Registry } from 'prom-client';
import { HandlerReviewGate } from '../review/handler-review-gate.js';
import { LambdaMessageReviewer } from '../review/lambda-message-reviewer.js';
import type { ReviewGate } from '../review/review-gate.js';
import { ReviewMetrics } from '../review/review-metrics.js';
import { RoutingMessageReviewer } from '../review/routing-message-reviewer.js';
import { WebhookMessageReviewer } from '../review/webhook-message-reviewer.js';
import type { Config } from './config.js';
import { parseReviewWebhooks } from './review-webhooks.js';

export interface ReviewWiring {
  readonly gate: ReviewGate;
  /** Releases the reviewers' connections. */
  close(): void;
}

/** Throws ConfigError on a bad PARLOR_REVIEW_WEBHOOKS. `lambda` overrides the Lambda client's config (tests). */
export function buildReview(
  config: Pick<Config, 'reviewTimeoutMs' | 'reviewWebhooks'>,
  metrics: Registry,
  logger: Logger,
  loop: { readonly turnEnd: TurnEnd; readonly answers: AwaitedAnswers },
  lambda: Omit<LambdaClientConfig, 'region'> = {},
): ReviewWiring {
  const targets = parseReviewWebhooks(config.reviewWebhooks);
  for (const [arn, target] of targets) {
    if (target.secret === undefined) logger.warn({ arn, url: target.url }, 'review webhook has no secret: its requests are unsigned');
  }
  const reviewer = new RoutingMessageReviewer(new WebhookMessageReviewer(targets, loop.turnEnd), new LambdaMessageReviewer(lambda));
  const gate = new HandlerReviewGate({ reviewer, timeoutMs: config.reviewTimeoutMs, metrics: new ReviewMetrics(metrics), answers: loop.answers, logger });
  return { gate, close: () => reviewer.close() };
}
