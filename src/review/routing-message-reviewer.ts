/**
 * Sends each function ARN to the webhook configured for it, and every other ARN to Lambda
 * (PARLOR_REVIEW_WEBHOOKS, docs/review.md).
 */
import type { Cancellation, MessageReviewer } from './message-reviewer.js';
import type { ReviewRequest } from './review-gate.js';
import type { WebhookMessageReviewer } from './webhook-message-reviewer.js';

export class RoutingMessageReviewer implements MessageReviewer {
  constructor(
    private readonly webhooks: WebhookMessageReviewer,
    private readonly otherwise: MessageReviewer,
  ) {}

  invoke(functionArn: string, request: ReviewRequest, cancellation: Cancellation): Promise<string> {
    const reviewer = this.webhooks.handles(functionArn) ? this.webhooks : this.otherwise;
    return reviewer.invoke(functionArn, request, cancellation);
  }

  close(): void {
    this.webhooks.close();
    this.otherwise.close();
  }
}
