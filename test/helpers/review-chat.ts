/**
 * A Parlor on port 0 whose review handlers are the fake in review-handlers.ts: reached through
 * the Lambda Invoke API (endpoint injected) for `lambdaArn(name)` and through a signed webhook
 * for `hookArn(name)`. Rooms and raw clients for the review tests.
 */
import { CreateRoomCommand, UpdateRoomCommand } from '@aws-sdk/client-ivschat';
import type { Config } from '../../src/app/config.js';
import type { FallbackResult } from '../../src/domain/room.js';
import { chatToken, RawClient, type Frame } from './chat.js';
import { startFakeHandlers, type FakeHandlers } from './review-handlers.js';
import { startTestServer, type TestServer } from './server.js';

export const HOOK_SECRET = 'test-hook-secret';

export interface ReviewRig {
  readonly server: TestServer;
  readonly fake: FakeHandlers;
  /** ARN of fake handler `name`, invoked through the Lambda API. */
  lambdaArn(name: string): string;
  /** ARN of fake handler `name`, configured as a webhook (only names given at start). */
  hookArn(name: string): string;
  room(handler?: { uri: string; fallbackResult: FallbackResult }, limits?: { maximumMessageRatePerSecond?: number }): Promise<string>;
  setHandler(roomArn: string, handler: { uri: string; fallbackResult?: FallbackResult }): Promise<void>;
  /** A raw client of `userId` (SEND_MESSAGE unless `capabilities` says otherwise). */
  join(roomArn: string, userId: string, options?: { attributes?: Record<string, string>; capabilities?: Array<'SEND_MESSAGE' | 'DELETE_MESSAGE' | 'DISCONNECT_USER'> }): Promise<RawClient>;
  stop(): Promise<void>;
}

export async function startReviewRig(webhookNames: readonly string[], config: Partial<Config> = {}): Promise<ReviewRig> {
  const fake = await startFakeHandlers();
  // Webhook handlers live under their own names, so a test can tell which way a call came.
  const hookArn = (name: string): string => fake.arn(`hook-${name}`);
  const webhooks = Object.fromEntries(webhookNames.map((n) => [hookArn(n), { url: fake.hookUrl(`hook-${n}`), secret: HOOK_SECRET }]));
  const server = await startTestServer(
    { reviewWebhooks: JSON.stringify(webhooks), ...config },
    { reviewLambda: { endpoint: fake.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } } },
  );
  const control = server.client();
  const clients: RawClient[] = [];
  return {
    server,
    fake,
    lambdaArn: (name) => fake.arn(name),
    hookArn,
    async room(handler, limits = {}) {
      const out = await control.send(new CreateRoomCommand({ name: 'review-test', ...limits, ...(handler ? { messageReviewHandler: handler } : {}) }));
      return out.arn!;
    },
    async setHandler(roomArn, handler) {
      await control.send(new UpdateRoomCommand({ identifier: roomArn, messageReviewHandler: handler }));
    },
    async join(roomArn, userId, options = {}) {
      const token = await chatToken(control, roomArn, userId, {
        capabilities: options.capabilities ?? ['SEND_MESSAGE'],
        ...(options.attributes ? { attributes: options.attributes } : {}),
      });
      const client = await RawClient.open(server, token.token!);
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.ws.terminate();
      await server.stop();
      await fake.close();
    },
  };
}

let requestCounter = 0;
/** Sends a SEND_MESSAGE and returns its RequestId. */
export function say(client: RawClient, content: string, attributes?: Record<string, string>): string {
  const requestId = `req-${++requestCounter}`;
  client.send({ Action: 'SEND_MESSAGE', RequestId: requestId, Content: content, ...(attributes ? { Attributes: attributes } : {}) });
  return requestId;
}

export const messages = (client: RawClient): Frame[] => client.frames.filter((f) => f.Type === 'MESSAGE');
