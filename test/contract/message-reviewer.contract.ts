/**
 * The MessageReviewer contract: every implementation must pass it (run from
 * message-reviewer.test.ts). The handler side is the fake in test/helpers/review-handlers.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NEVER_CANCELLED, ReviewCancellation, type MessageReviewer } from '../../src/review/message-reviewer.js';
import type { ReviewRequest } from '../../src/review/review-gate.js';
import { allow, deny, startFakeHandlers, within, type FakeHandlers } from '../helpers/review-handlers.js';

export interface ReviewerUnderTest {
  readonly reviewer: MessageReviewer;
  /** The function ARN by which `reviewer` reaches the fake's handler `name`. */
  arnFor(name: string): string;
}

export const SAMPLE_REQUEST: ReviewRequest = {
  Content: 'hello, wörld 👋',
  MessageId: 'AbCdEfGh1234',
  RoomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl',
  Attributes: { color: 'blue', 'ключ': 'значение' },
  Sender: { UserId: 'user-1', Attributes: { displayName: 'Ada' }, Ip: '127.0.0.1' },
};

const never = () => NEVER_CANCELLED;

export function messageReviewerContract(implementation: string, setup: (fake: FakeHandlers) => ReviewerUnderTest): void {
  describe(`MessageReviewer contract: ${implementation}`, () => {
    let fake: FakeHandlers;
    let subject: ReviewerUnderTest;
    before(async () => {
      fake = await startFakeHandlers();
      subject = setup(fake);
    });
    after(async () => {
      subject.reviewer.close();
      await fake.close();
    });

    test('sends the SPEC §5 payload, field for field, and resolves the answer text', async () => {
      fake.on('payload', () => allow());
      const before = fake.calls.length;
      const raw = await subject.reviewer.invoke(subject.arnFor('payload'), SAMPLE_REQUEST, never());
      assert.deepEqual(JSON.parse(raw), { ReviewResult: 'ALLOW' });
      const call = fake.calls[before]!;
      assert.equal(call.name, 'payload');
      assert.deepEqual(call.body, SAMPLE_REQUEST);
      assert.deepEqual(Object.keys(call.body).sort(), ['Attributes', 'Content', 'MessageId', 'RoomArn', 'Sender']);
      assert.deepEqual(Object.keys(call.body.Sender).sort(), ['Attributes', 'Ip', 'UserId']);
    });

    test('hands back deny and rewrite answers unjudged', async () => {
      fake.on('deny', () => deny('no swearing'));
      fake.on('rewrite', (r) => allow(r.Content.toUpperCase(), { ...r.Attributes, reviewed: 'yes' }));
      const denied = await subject.reviewer.invoke(subject.arnFor('deny'), SAMPLE_REQUEST, never());
      assert.deepEqual(JSON.parse(denied), { ReviewResult: 'DENY', Attributes: { Reason: 'no swearing' } });
      const rewritten = await subject.reviewer.invoke(subject.arnFor('rewrite'), SAMPLE_REQUEST, never());
      assert.deepEqual(JSON.parse(rewritten), {
        ReviewResult: 'ALLOW',
        Content: 'HELLO, WÖRLD 👋',
        Attributes: { ...SAMPLE_REQUEST.Attributes, reviewed: 'yes' },
      });
    });

    test('hands back a malformed answer as text (judging it is the gate\'s job)', async () => {
      fake.on('malformed', () => ({ kind: 'raw', body: '{"ReviewResult": "ALL' }));
      assert.equal(await subject.reviewer.invoke(subject.arnFor('malformed'), SAMPLE_REQUEST, never()), '{"ReviewResult": "ALL');
    });

    test('rejects when the handler answers HTTP 500', async () => {
      fake.on('broken', () => ({ kind: 'status', status: 500, body: 'boom' }));
      await assert.rejects(subject.reviewer.invoke(subject.arnFor('broken'), SAMPLE_REQUEST, never()));
    });

    test('rejects when nothing answers for that function', async () => {
      await assert.rejects(subject.reviewer.invoke(subject.arnFor('nobody-home'), SAMPLE_REQUEST, never()));
    });

    test('a cancellation rejects promptly and hangs up on the handler', async () => {
      fake.on('slow', () => ({ kind: 'slow', ms: 30_000, then: allow() }));
      const controller = new ReviewCancellation();
      const before = fake.calls.length;
      const pending = subject.reviewer.invoke(subject.arnFor('slow'), SAMPLE_REQUEST, controller);
      pending.catch(() => undefined);
      await fake.waitForCalls(before + 1);
      const abortedAt = performance.now();
      controller.cancel(new Error('deadline'));
      await within(assert.rejects(pending, /deadline/), 1000, 'rejection after the cancellation');
      assert.ok(performance.now() - abortedAt < 500, 'settles soon after the cancellation');
      await within(fake.calls[before]!.hungUp, 2000, 'handler sees the caller hang up');
    });

    test('a call cancelled beforehand rejects without a successful answer', async () => {
      fake.on('payload', () => allow());
      const cancelled = new ReviewCancellation();
      cancelled.cancel(new Error('gave up'));
      await assert.rejects(subject.reviewer.invoke(subject.arnFor('payload'), SAMPLE_REQUEST, cancelled));
    });

    test('concurrent invocations of a slow handler do not hold up another handler', async () => {
      fake.on('sluggish', () => ({ kind: 'slow', ms: 30_000, then: allow() }));
      fake.on('quick', () => allow('quick'));
      const cancellations = Array.from({ length: 60 }, () => new ReviewCancellation());
      const before = fake.calls.length;
      const stuck = cancellations.map((cancellation) => {
        const p = subject.reviewer.invoke(subject.arnFor('sluggish'), SAMPLE_REQUEST, cancellation);
        p.catch(() => undefined);
        return p;
      });
      await fake.waitForCalls(before + 60);
      try {
        const raw = await within(subject.reviewer.invoke(subject.arnFor('quick'), SAMPLE_REQUEST, never()), 2000, 'quick handler');
        assert.deepEqual(JSON.parse(raw), { ReviewResult: 'ALLOW', Content: 'quick' });
      } finally {
        for (const cancellation of cancellations) cancellation.cancel(new Error('test over'));
        await Promise.allSettled(stuck);
      }
    });
  });
}
