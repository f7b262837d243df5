/**
 * The gate with a scripted reviewer: answers judged, deadline and fallbacks, the concurrency
 * bound, metrics.
 */
import assert from 'node:assert/strict';
import { createServer as createTcpServer, connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import type { FallbackResult, ReviewHandler } from '../../src/domain/room.js';
import { AwaitedAnswers } from '../../src/lib/awaited-answers.js';
import { HandlerReviewGate } from '../../src/review/handler-review-gate.js';
import type { Cancellation, MessageReviewer } from '../../src/review/message-reviewer.js';
import type { ReviewRequest } from '../../src/review/review-gate.js';
import { ReviewMetrics } from '../../src/review/review-metrics.js';
import { SAMPLE_REQUEST } from '../contract/message-reviewer.contract.js';
import { within } from '../helpers/review-handlers.js';

type Script = (arn: string, request: ReviewRequest, cancellation: Cancellation) => Promise<string>;

class ScriptedReviewer implements MessageReviewer {
  readonly calls: Cancellation[] = [];
  constructor(public script: Script) {}
  invoke(arn: string, request: ReviewRequest, cancellation: Cancellation): Promise<string> {
    this.calls.push(cancellation);
    return this.script(arn, request, cancellation);
  }
  close(): void {}
}

const answer = (value: unknown): Script => async () => JSON.stringify(value);
const HANDLER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:review';
const handler = (fallbackResult: FallbackResult = 'ALLOW', uri = HANDLER_ARN): ReviewHandler => ({ uri, fallbackResult });
const ORIGINAL = { kind: 'allow', content: SAMPLE_REQUEST.Content, attributes: SAMPLE_REQUEST.Attributes } as const;

function setup(script: Script, options: { timeoutMs?: number; maxInFlightPerHandler?: number } = {}) {
  const registry = new Registry();
  const reviewer = new ScriptedReviewer(script);
  const answers = new AwaitedAnswers();
  const gate = new HandlerReviewGate({
    reviewer,
    timeoutMs: options.timeoutMs ?? 200,
    metrics: new ReviewMetrics(registry),
    answers,
    ...(options.maxInFlightPerHandler === undefined ? {} : { maxInFlightPerHandler: options.maxInFlightPerHandler }),
  });
  /** Value of parlor_reviews_total for these labels. */
  const count = async (outcome: string, reason = 'none'): Promise<number> => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'parlor_reviews_total');
    const v = metric?.values.find((x) => x.labels.outcome === outcome && x.labels.reason === reason);
    return Number(v?.value ?? 0);
  };
  const observed = async (): Promise<number> => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'parlor_review_duration_seconds');
    const values = metric!.values as Array<{ value: number; metricName?: string }>;
    return values.filter((x) => x.metricName === 'parlor_review_duration_seconds_count').reduce((n, x) => n + Number(x.value), 0);
  };
  /** Value of the parlor_reviews_in_flight gauge. */
  const inFlight = async (): Promise<number> => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'parlor_reviews_in_flight');
    return Number(metric?.values[0]?.value ?? NaN);
  };
  return { gate, reviewer, count, observed, inFlight, answersAwaited: answers.answersAwaited };
}

describe('answers', () => {
  test('ALLOW unchanged delivers the original and counts as allowed', async () => {
    const { gate, count, observed } = setup(answer({ ReviewResult: 'ALLOW', Content: SAMPLE_REQUEST.Content }));
    assert.deepEqual(await gate.review(handler(), 500, SAMPLE_REQUEST), ORIGINAL);
    assert.equal(await count('allowed'), 1);
    assert.equal(await observed(), 1);
  });

  test('ALLOW without Content or Attributes keeps the message\'s own', async () => {
    const { gate, count } = setup(answer({ ReviewResult: 'ALLOW' }));
    assert.deepEqual(await gate.review(handler(), 500, SAMPLE_REQUEST), ORIGINAL);
    assert.equal(await count('allowed'), 1);
  });

  test('ALLOW with new Content is a rewrite', async () => {
    const { gate, count } = setup(answer({ ReviewResult: 'ALLOW', Content: 'hello, ***' }));
    assert.deepEqual(await gate.review(handler(), 500, SAMPLE_REQUEST), { ...ORIGINAL, content: 'hello, ***' });
    assert.equal(await count('rewritten'), 1);
    assert.equal(await count('allowed'), 0);
  });

  test('ALLOW with new Attributes is a rewrite; {} clears them', async () => {
    const { gate, reviewer, count } = setup(answer({ ReviewResult: 'ALLOW', Attributes: { flagged: 'true' } }));
    assert.deepEqual(await gate.review(handler(), 500, SAMPLE_REQUEST), { ...ORIGINAL, attributes: { flagged: 'true' } });
    reviewer.script = answer({ ReviewResult: 'ALLOW', Attributes: {} });
    assert.deepEqual(await gate.review(handler(), 500, SAMPLE_REQUEST), { ...ORIGINAL, attributes: {} });
    assert.equal(await count('rewritten'), 2);
  });

  test('DENY carries Attributes.Reason, or no reason', async () => {
    const { gate, reviewer, count } = setup(answer({ ReviewResult: 'DENY', Attributes: { Reason: 'spam' } }));
    assert.deepEqual(await gate.review(handler('ALLOW'), 500, SAMPLE_REQUEST), { kind: 'deny', reason: 'spam' });
    reviewer.script = answer({ ReviewResult: 'DENY', Content: 'ignored' });
    assert.deepEqual(await gate.review(handler('ALLOW'), 500, SAMPLE_REQUEST), { kind: 'deny' });
    assert.equal(await count('denied'), 2);
  });

  test('Content at exactly the room limit in code points is valid', async () => {
    const { gate } = setup(answer({ ReviewResult: 'ALLOW', Content: '👋👋👋👋👋' }));
    assert.deepEqual(await gate.review(handler(), 5, SAMPLE_REQUEST), { ...ORIGINAL, content: '👋👋👋👋👋' });
  });
});

const INVALID: ReadonlyArray<readonly [string, string]> = [
  ['not JSON', '{"ReviewResult":'],
  ['empty body', ''],
  ['a JSON array', '["ALLOW"]'],
  ['a JSON string', '"ALLOW"'],
  ['an unknown result', '{"ReviewResult":"MAYBE"}'],
  ['a lower-case result', '{"ReviewResult":"allow"}'],
  ['no result', '{"Content":"x"}'],
  ['empty Content', '{"ReviewResult":"ALLOW","Content":""}'],
  ['Content over the room limit', '{"ReviewResult":"ALLOW","Content":"👋👋👋👋👋👋"}'],
  ['Content not a string', '{"ReviewResult":"ALLOW","Content":42}'],
  ['Attributes not a map', '{"ReviewResult":"ALLOW","Attributes":["a"]}'],
  ['an attribute not a string', '{"ReviewResult":"ALLOW","Attributes":{"n":1}}'],
  ['Attributes over 1 KB', JSON.stringify({ ReviewResult: 'ALLOW', Attributes: { k: 'x'.repeat(1024) } })],
  ['DENY with a bad attribute', '{"ReviewResult":"DENY","Attributes":{"Reason":5}}'],
];

describe('invalid answers take the fallback', () => {
  for (const [what, raw] of INVALID) {
    test(`${what} → ALLOW fallback delivers the original; DENY fallback refuses`, async () => {
      const { gate, count } = setup(async () => raw);
      assert.deepEqual(await gate.review(handler('ALLOW'), 5, SAMPLE_REQUEST), ORIGINAL);
      assert.deepEqual(await gate.review(handler('DENY'), 5, SAMPLE_REQUEST), { kind: 'deny', fallback: true });
      assert.equal(await count('fallback', 'invalid'), 2);
    });
  }
});

describe('deadline and failures', () => {
  for (const fallbackResult of ['ALLOW', 'DENY'] as const) {
    test(`a handler over the deadline → ${fallbackResult} fallback at the deadline, and the call is aborted`, async () => {
      // This handler ignores the abort: the gate must not wait for it.
      const { gate, reviewer, count } = setup(() => new Promise<string>(() => undefined), { timeoutMs: 50 });
      const started = performance.now();
      const decision = await within(gate.review(handler(fallbackResult), 500, SAMPLE_REQUEST), 2000, 'fallback');
      const took = performance.now() - started;
      assert.deepEqual(decision, fallbackResult === 'ALLOW' ? ORIGINAL : { kind: 'deny', fallback: true });
      assert.ok(took >= 45, `not before the deadline (${took.toFixed(1)} ms)`);
      assert.ok(reviewer.calls[0]!.reason !== undefined, 'the invocation was told to stop');
      assert.equal(await count('fallback', 'timeout'), 1);
    });

    test(`a handler error → ${fallbackResult} fallback`, async () => {
      const { gate, count } = setup(async () => {
        throw new Error('HTTP 500');
      });
      assert.deepEqual(await gate.review(handler(fallbackResult), 500, SAMPLE_REQUEST), fallbackResult === 'ALLOW' ? ORIGINAL : { kind: 'deny', fallback: true });
      assert.equal(await count('fallback', 'error'), 1);
    });
  }

  test('an answer that arrived in time counts even when Parlor reads it after the deadline (a busy event loop)', async () => {
    // A connected socket pair: the "handler" answers by writing to it; the answer then waits in
    // the kernel until the event loop polls, like a webhook answer during a long fan-out write.
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = connectTcp((server.address() as AddressInfo).port, '127.0.0.1');
    const handlerSide = await accepted;
    try {
      const { gate, count } = setup(() => new Promise<string>((resolve) => client.once('data', () => resolve('{"ReviewResult":"ALLOW"}'))), { timeoutMs: 30 });
      const decision = gate.review(handler('DENY'), 500, SAMPLE_REQUEST);
      handlerSide.write('answer'); // in time: right away
      const busyUntil = performance.now() + 100; // the event loop is busy past the deadline
      while (performance.now() < busyUntil);
      assert.deepEqual(await decision, ORIGINAL);
      assert.equal(await count('allowed'), 1);
      assert.equal(await count('fallback', 'timeout'), 0);
    } finally {
      client.destroy();
      handlerSide.destroy();
      server.close();
    }
  });

  test('a reviewer that throws synchronously is an error and gives its slot back', async () => {
    const { gate, reviewer, count } = setup(
      () => {
        throw new Error('sync');
      },
      { maxInFlightPerHandler: 1 },
    );
    assert.deepEqual(await gate.review(handler(), 500, SAMPLE_REQUEST), ORIGINAL);
    reviewer.script = answer({ ReviewResult: 'DENY' });
    assert.deepEqual(await gate.review(handler(), 500, SAMPLE_REQUEST), { kind: 'deny' });
    assert.equal(await count('fallback', 'error'), 1);
    assert.equal(await count('fallback', 'overload'), 0);
  });

  test('an answer that arrives just before the deadline counts', async () => {
    const { gate } = setup(async () => JSON.stringify({ ReviewResult: 'DENY' }), { timeoutMs: 1000 });
    assert.deepEqual(await gate.review(handler('ALLOW'), 500, SAMPLE_REQUEST), { kind: 'deny' });
  });
});

describe('awaited answers (the fan-out yields sooner while any are awaited)', () => {
  test('a review in flight is awaited until its answer is in', async () => {
    let answerNow!: (raw: string) => void;
    const { gate, answersAwaited } = setup(() => new Promise<string>((resolve) => (answerNow = resolve)));
    assert.equal(answersAwaited(), false);
    const decision = gate.review(handler(), 500, SAMPLE_REQUEST);
    await Promise.resolve();
    assert.equal(answersAwaited(), true, 'awaited while in flight');
    answerNow(JSON.stringify({ ReviewResult: 'ALLOW' }));
    assert.deepEqual(await decision, ORIGINAL);
    assert.equal(answersAwaited(), false, 'not after the answer');
  });

  test('a review past its deadline is no longer awaited, though the call has not settled', async () => {
    const { gate, answersAwaited } = setup(() => new Promise<string>(() => undefined), { timeoutMs: 20 });
    const decision = gate.review(handler('DENY'), 500, SAMPLE_REQUEST);
    await Promise.resolve();
    assert.equal(answersAwaited(), true);
    assert.deepEqual(await within(decision, 2000, 'fallback'), { kind: 'deny', fallback: true });
    assert.equal(answersAwaited(), false);
  });
});

describe('concurrency bound', () => {
  test('when the bound is full the fallback applies at once, per handler, until a call settles', async () => {
    const release: Array<(raw: string) => void> = [];
    const { gate, reviewer, count } = setup(() => new Promise<string>((resolve) => release.push(resolve)), {
      maxInFlightPerHandler: 2,
      timeoutMs: 60_000,
    });
    const held = [gate.review(handler(), 500, SAMPLE_REQUEST), gate.review(handler(), 500, SAMPLE_REQUEST)];
    const started = performance.now();
    assert.deepEqual(await gate.review(handler('DENY'), 500, SAMPLE_REQUEST), { kind: 'deny', fallback: true });
    assert.deepEqual(await gate.review(handler('ALLOW'), 500, SAMPLE_REQUEST), ORIGINAL);
    assert.ok(performance.now() - started < 100, 'no waiting for a slot');
    assert.equal(reviewer.calls.length, 2, 'overflow never reaches the handler');
    assert.equal(await count('fallback', 'overload'), 2);

    // Another handler has its own bound.
    const other = gate.review(handler('ALLOW', `${HANDLER_ARN}-other`), 500, SAMPLE_REQUEST);
    assert.equal(reviewer.calls.length, 3);

    for (const r of release.splice(0)) r(JSON.stringify({ ReviewResult: 'DENY', Attributes: { Reason: 'late' } }));
    assert.deepEqual(await Promise.all([...held, other]), [
      { kind: 'deny', reason: 'late' },
      { kind: 'deny', reason: 'late' },
      { kind: 'deny', reason: 'late' },
    ]);
    // Slots are free again.
    const again = gate.review(handler(), 500, SAMPLE_REQUEST);
    assert.equal(reviewer.calls.length, 4);
    release.shift()!(JSON.stringify({ ReviewResult: 'ALLOW' }));
    assert.deepEqual(await again, ORIGINAL);
  });

  test('a timed-out call keeps its slot until the reviewer really settles', async () => {
    const release: Array<(raw: string) => void> = [];
    const { gate, count, inFlight } = setup(() => new Promise<string>((resolve) => release.push(resolve)), {
      maxInFlightPerHandler: 1,
      timeoutMs: 20,
    });
    assert.equal(await inFlight(), 0);
    assert.deepEqual(await gate.review(handler('DENY'), 500, SAMPLE_REQUEST), { kind: 'deny', fallback: true });
    assert.equal(await count('fallback', 'timeout'), 1);
    assert.equal(await inFlight(), 1, 'the timed-out call is still in flight');
    assert.deepEqual(await gate.review(handler('DENY'), 500, SAMPLE_REQUEST), { kind: 'deny', fallback: true });
    assert.equal(await count('fallback', 'overload'), 1);
    release.shift()!('{"ReviewResult":"ALLOW"}');
    // The slot frees in a microtask after the reviewer settles.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await inFlight(), 0);
    const next = gate.review(handler('DENY'), 500, SAMPLE_REQUEST);
    release.shift()!('{"ReviewResult":"ALLOW"}');
    assert.deepEqual(await next, ORIGINAL);
  });
});

test('failures are logged once a second per handler, with the count of the ones left out', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const reviewer = new ScriptedReviewer(async () => {
    throw new Error('down');
  });
  const gate = new HandlerReviewGate({
    reviewer,
    timeoutMs: 200,
    metrics: new ReviewMetrics(new Registry()),
    answers: new AwaitedAnswers(),
    logger: { warn: (details: object) => void lines.push(details as Record<string, unknown>) },
  });
  for (let i = 0; i < 5; i++) await gate.review(handler(), 500, SAMPLE_REQUEST);
  await gate.review(handler('ALLOW', `${HANDLER_ARN}-b`), 500, SAMPLE_REQUEST);
  assert.deepEqual(lines.map((l) => [l.handler, l.reason, l.suppressedSinceLast]), [
    [HANDLER_ARN, 'error', 0],
    [`${HANDLER_ARN}-b`, 'error', 0],
  ]);
});
