/**
 * Reviews through the Lambda Invoke API (`RequestResponse`), so real AWS Lambda and any
 * compatible endpoint work. Credentials and endpoint come from the standard AWS SDK chain
 * (`AWS_ENDPOINT_URL_LAMBDA` / `AWS_ENDPOINT_URL`, environment, shared files, roles); the
 * region is the function ARN's, so a client is kept per region.
 */
import { InvokeCommand, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { abortSignalOf, type Cancellation, type MessageReviewer } from './message-reviewer.js';
import type { ReviewRequest } from './review-gate.js';

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` → region. */
function regionOf(functionArn: string): string {
  const region = functionArn.split(':')[3];
  if (!region) throw new Error(`not a Lambda function ARN: ${functionArn}`);
  return region;
}

export class LambdaMessageReviewer implements MessageReviewer {
  private readonly clients = new Map<string, LambdaClient>();

  /** `overrides` (tests, embedding) are laid over Parlor's choices; the SDK chain fills the rest. */
  constructor(private readonly overrides: Omit<LambdaClientConfig, 'region'> = {}) {}

  async invoke(functionArn: string, request: ReviewRequest, cancellation: Cancellation): Promise<string> {
    const signal = abortSignalOf(cancellation);
    const output = await this.client(regionOf(functionArn))
      .send(
        new InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(request)),
        }),
        // The SDK's requestTimeout alone does not abort (SPEC §5); the signal does.
        { abortSignal: signal },
      )
      // The SDK rejects with its own AbortError; the caller's reason is the one to report.
      .catch((err: unknown) => Promise.reject(cancellation.reason ?? err));
    // Make sure a late answer after the deadline never counts.
    signal.throwIfAborted();
    if (output.FunctionError) {
      const detail = output.Payload ? output.Payload.transformToString().slice(0, 200) : '';
      throw new Error(`Lambda function error (${output.FunctionError}) from ${functionArn}: ${detail}`);
    }
    return output.Payload ? output.Payload.transformToString() : '';
  }

  /** Releases the HTTP agents. */
  close(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private client(region: string): LambdaClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new LambdaClient({
        region,
        // One message is one invocation: a retry would run the handler twice and blow the deadline.
        maxAttempts: 1,
        // The gate bounds concurrency per handler; a shared socket cap would let one slow
        // handler queue every other handler's calls on the same endpoint.
        requestHandler: { httpAgent: { maxSockets: Infinity }, httpsAgent: { maxSockets: Infinity } },
        ...this.overrides,
      });
      this.clients.set(region, client);
    }
    return client;
  }
}
