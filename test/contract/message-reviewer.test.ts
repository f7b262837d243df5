/**
 * Runs the MessageReviewer contract on every implementation, plus what only one of them has:
 * Lambda function errors and endpoint configuration; webhook signatures.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { LambdaMessageReviewer } from '../../src/review/lambda-message-reviewer.js';
import { TurnEnd } from '../../src/lib/turn-end.js';
import { NEVER_CANCELLED } from '../../src/review/message-reviewer.js';
import { MAX_ANSWER_BYTES, SIGNATURE_HEADER, WebhookMessageReviewer, type WebhookTarget } from '../../src/review/webhook-message-reviewer.js';
import { allow, startFakeHandlers, type FakeHandlers } from '../helpers/review-handlers.js';
import { messageReviewerContract, SAMPLE_REQUEST } from './message-reviewer.contract.js';

const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const never = () => NEVER_CANCELLED;

messageReviewerContract('lambda (Invoke API)', (fake) => ({
  reviewer: new LambdaMessageReviewer({ endpoint: fake.url, credentials: CREDENTIALS }),
  arnFor: (name) => fake.arn(name),
}));

/** Webhook targets for every name a test may use; unknown names still reach the fake (404). */
function hooksFor(fake: FakeHandlers, secret?: string): Map<string, WebhookTarget> {
  const names = ['payload', 'deny', 'rewrite', 'malformed', 'broken', 'nobody-home', 'slow', 'sluggish', 'quick', 'fnerr'];
  return new Map(names.map((n) => [fake.arn(n), secret === undefined ? { url: fake.hookUrl(n) } : { url: fake.hookUrl(n), secret }]));
}

messageReviewerContract('webhook', (fake) => ({
  reviewer: new WebhookMessageReviewer(hooksFor(fake, 'hook-secret'), new TurnEnd()),
  arnFor: (name) => fake.arn(name),
}));

describe('lambda message reviewer specifics', () => {
  let fake: FakeHandlers;
  before(async () => {
    fake = await startFakeHandlers();
  });
  after(() => fake.close());

  test('a function error (X-Amz-Function-Error) is a failure, though the status is 200', async () => {
    fake.on('fnerr', () => ({ kind: 'function-error' }));
    const reviewer = new LambdaMessageReviewer({ endpoint: fake.url, credentials: CREDENTIALS });
    try {
      await assert.rejects(reviewer.invoke(fake.arn('fnerr'), SAMPLE_REQUEST, never()), /function error/i);
    } finally {
      reviewer.close();
    }
  });

  test('the endpoint comes from AWS_ENDPOINT_URL_LAMBDA and credentials from the environment', async () => {
    fake.on('env', () => allow('via env'));
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: fake.url,
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'from-env',
    });
    const reviewer = new LambdaMessageReviewer();
    try {
      const before = fake.calls.length;
      const raw = await reviewer.invoke(fake.arn('env', 'eu-west-1'), SAMPLE_REQUEST, never());
      assert.deepEqual(JSON.parse(raw), { ReviewResult: 'ALLOW', Content: 'via env' });
      const call = fake.calls[before]!;
      assert.equal(call.via, 'lambda');
      // SigV4 scope names the ARN's region and the lambda service, with the environment's key.
      assert.match(String(call.headers.authorization), /Credential=AKIDENV\/\d{8}\/eu-west-1\/lambda\/aws4_request/);
      assert.equal(call.headers['x-amz-invocation-type'], 'RequestResponse');
    } finally {
      reviewer.close();
      process.env = saved;
    }
  });
});

describe('webhook message reviewer specifics', () => {
  let fake: FakeHandlers;
  before(async () => {
    fake = await startFakeHandlers();
    fake.on('payload', () => allow());
  });
  after(() => fake.close());

  test('signs timestamp + body with HMAC-SHA256 under the configured secret', async () => {
    const pinned = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const reviewer = new WebhookMessageReviewer(hooksFor(fake, 's3cr3t'), new TurnEnd(), () => pinned);
    const before = fake.calls.length;
    await reviewer.invoke(fake.arn('payload'), SAMPLE_REQUEST, never());
    const call = fake.calls[before]!;
    const header = String(call.headers[SIGNATURE_HEADER]);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    assert.ok(match, `signature header shape: ${header}`);
    assert.equal(Number(match[1]), Math.floor(pinned / 1000));
    // Verified the way a webhook would: over the exact bytes received.
    const expected = createHmac('sha256', 's3cr3t').update(`${match[1]}.${call.rawBody}`).digest();
    assert.ok(timingSafeEqual(Buffer.from(match[2]!, 'hex'), expected), 'signature verifies');
    const wrongKey = createHmac('sha256', 'other').update(`${match[1]}.${call.rawBody}`).digest();
    assert.ok(!timingSafeEqual(Buffer.from(match[2]!, 'hex'), wrongKey), 'another secret does not verify');
    assert.equal(call.headers['content-type'], 'application/json');
  });

  test('without a secret, requests go unsigned', async () => {
    const reviewer = new WebhookMessageReviewer(hooksFor(fake), new TurnEnd());
    const before = fake.calls.length;
    await reviewer.invoke(fake.arn('payload'), SAMPLE_REQUEST, never());
    assert.equal(fake.calls[before]!.headers[SIGNATURE_HEADER], undefined);
  });

  test('credentials in the URL are sent as Basic authentication', async () => {
    const url = new URL(`${fake.hookUrl('payload')}?tenant=a%20b`);
    url.username = 'hook user';
    url.password = 'p@ss';
    const reviewer = new WebhookMessageReviewer(new Map([[fake.arn('payload'), { url: url.href }]]), new TurnEnd());
    const before = fake.calls.length;
    await reviewer.invoke(fake.arn('payload'), SAMPLE_REQUEST, never());
    const call = fake.calls[before]!;
    assert.equal(call.headers.authorization, `Basic ${Buffer.from('hook user:p@ss').toString('base64')}`);
    reviewer.close();
  });

  test('a redirect is a failure, not followed', async () => {
    fake.on('moved', () => ({ kind: 'status', status: 307, body: '' }));
    const reviewer = new WebhookMessageReviewer(new Map([[fake.arn('moved'), { url: fake.hookUrl('moved') }]]), new TurnEnd());
    await assert.rejects(reviewer.invoke(fake.arn('moved'), SAMPLE_REQUEST, never()));
  });

  test('an answer over the size cap is a failure', async () => {
    fake.on('huge', () => ({ kind: 'raw', body: JSON.stringify({ ReviewResult: 'ALLOW', Content: 'x'.repeat(MAX_ANSWER_BYTES) }) }));
    const reviewer = new WebhookMessageReviewer(new Map([[fake.arn('huge'), { url: fake.hookUrl('huge') }]]), new TurnEnd());
    await assert.rejects(reviewer.invoke(fake.arn('huge'), SAMPLE_REQUEST, never()), /over/);
  });

  test('an ARN without a webhook is refused, not sent anywhere', async () => {
    const reviewer = new WebhookMessageReviewer(hooksFor(fake), new TurnEnd());
    const before = fake.calls.length;
    await assert.rejects(reviewer.invoke(fake.arn('unmapped'), SAMPLE_REQUEST, never()), /no webhook/);
    assert.equal(fake.calls.length, before);
  });
});
