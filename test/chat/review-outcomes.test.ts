/**
 * Review end to end through real WebSockets: a Parlor whose handlers are a Lambda-Invoke-API
 * compatible fake and a signed webhook. The handler obeys the message: "deny <reason>",
 * "rewrite <text>", "tag <value>", "slow", "status500", "fnerr", "malformed", "maybe",
 * "toolong"; anything else is allowed unchanged.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FallbackResult } from '../../src/domain/room.js';
import { allow, deny, type Behaviour, type HandlerReply } from '../helpers/review-handlers.js';
import { HOOK_SECRET, messages, say, startReviewRig, type ReviewRig } from '../helpers/review-chat.js';

const TIMEOUT_MS = 200;

const obey: Behaviour = (request): HandlerReply => {
  const [command = '', ...rest] = request.Content.split(' ');
  const arg = rest.join(' ');
  switch (command) {
    case 'deny':
      return deny(arg || undefined);
    case 'rewrite':
      return allow(arg);
    case 'tag':
      return allow(undefined, { tag: arg });
    case 'slow':
      return { kind: 'slow', ms: 10_000, then: allow('too late') };
    case 'status500':
      return { kind: 'status', status: 500, body: 'handler broke' };
    case 'fnerr':
      return { kind: 'function-error' };
    case 'malformed':
      return { kind: 'raw', body: '{"ReviewResult":' };
    case 'maybe':
      return { kind: 'json', body: { ReviewResult: 'MAYBE' } };
    case 'toolong':
      return allow('x'.repeat(501));
    default:
      return allow();
  }
};

let rig: ReviewRig;
before(async () => {
  rig = await startReviewRig(['obey'], { reviewTimeoutMs: TIMEOUT_MS });
  rig.fake.on('obey', obey);
  rig.fake.on('hook-obey', obey);
});
after(() => rig.stop());

for (const via of ['lambda', 'webhook'] as const) {
  const uri = (): string => (via === 'lambda' ? rig.lambdaArn('obey') : rig.hookArn('obey'));

  /** A room reviewed by the obeying handler, a sender and a watcher. */
  async function scene(fallbackResult: FallbackResult = 'ALLOW') {
    const roomArn = await rig.room({ uri: uri(), fallbackResult });
    const sender = await rig.join(roomArn, 'sender', { attributes: { displayName: 'Sam' } });
    const watcher = await rig.join(roomArn, 'watcher');
    return { roomArn, sender, watcher };
  }

  describe(`review via ${via}`, () => {
    test('allow: delivered unchanged; the handler got the SPEC §5 payload with the delivered Id', async () => {
      const { roomArn, sender, watcher } = await scene();
      const before = rig.fake.calls.length;
      const requestId = say(sender, 'hello there', { color: 'blue' });
      const own = await sender.byRequest(requestId);
      const seen = await watcher.next((f) => f.Type === 'MESSAGE');
      assert.equal(own.Type, 'MESSAGE');
      assert.equal(own.Content, 'hello there');
      assert.deepEqual(own.Attributes, { color: 'blue' });
      assert.equal(seen.Id, own.Id);
      const call = rig.fake.calls.slice(before).find((c) => c.body.Content === 'hello there')!;
      assert.equal(call.via, via);
      assert.equal(call.body.MessageId, own.Id, 'MessageId is the Id the message is delivered with');
      assert.equal(call.body.RoomArn, roomArn);
      assert.deepEqual(call.body.Attributes, { color: 'blue' });
      assert.equal(call.body.Sender.UserId, 'sender');
      assert.deepEqual(call.body.Sender.Attributes, { displayName: 'Sam' });
      assert.match(call.body.Sender.Ip, /127\.0\.0\.1|::1/);
      if (via === 'webhook') {
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(call.headers['x-parlor-signature']))!;
        assert.equal(v1, createHmac('sha256', HOOK_SECRET).update(`${t}.${call.rawBody}`).digest('hex'));
      }
    });

    test('deny with a reason: ERROR 406 to the sender only, echoing its RequestId', async () => {
      const { sender, watcher } = await scene();
      const denied = say(sender, 'deny no shouting');
      const error = await sender.byRequest(denied);
      assert.equal(error.Type, 'ERROR');
      assert.equal(error.ErrorCode, 406);
      assert.match(String(error.ErrorMessage), /no shouting/);
      // The sender's next message arrives after the denied one would have: the watcher saw only it.
      const next = say(sender, 'fine');
      await sender.byRequest(next);
      await watcher.next((f) => f.RequestId === next);
      assert.deepEqual(watcher.frames.map((f) => f.Content), ['fine']);
      assert.ok(!messages(sender).some((f) => f.RequestId === denied));
      assert.notEqual(error.Id, messages(sender)[0]!.Id);
    });

    test('rewrite of content and of attributes reaches everyone', async () => {
      const { sender, watcher } = await scene();
      const a = say(sender, 'rewrite all better', { color: 'red' });
      const b = say(sender, 'tag checked', { color: 'red' });
      const ownA = await sender.byRequest(a);
      const ownB = await sender.byRequest(b);
      assert.equal(ownA.Content, 'all better');
      assert.deepEqual(ownA.Attributes, { color: 'red' });
      assert.equal(ownB.Content, 'tag checked');
      assert.deepEqual(ownB.Attributes, { tag: 'checked' });
      const seenB = await watcher.next((f) => f.RequestId === b);
      assert.deepEqual([watcher.frames[0]!.Content, seenB.Attributes], ['all better', { tag: 'checked' }]);
    });

    const failures = via === 'lambda' ? ['slow', 'status500', 'fnerr', 'malformed', 'maybe', 'toolong'] : ['slow', 'status500', 'malformed', 'maybe', 'toolong'];
    for (const failure of failures) {
      test(`"${failure}" → fallback ALLOW delivers the original; fallback DENY answers 406`, async () => {
        const allowRoom = await scene('ALLOW');
        const denyRoom = await scene('DENY');
        const started = performance.now();
        const a = say(allowRoom.sender, `${failure} original text`, { k: 'v' });
        const d = say(denyRoom.sender, `${failure} original text`);
        const delivered = await allowRoom.sender.byRequest(a);
        const refused = await denyRoom.sender.byRequest(d);
        const took = performance.now() - started;
        assert.equal(delivered.Type, 'MESSAGE');
        assert.equal(delivered.Content, `${failure} original text`);
        assert.deepEqual(delivered.Attributes, { k: 'v' });
        await allowRoom.watcher.next((f) => f.RequestId === a);
        assert.equal(refused.Type, 'ERROR');
        assert.equal(refused.ErrorCode, 406);
        if (failure === 'slow') {
          assert.ok(took >= TIMEOUT_MS - 10, `waited for the deadline (${took.toFixed(0)} ms)`);
          assert.ok(took < TIMEOUT_MS + 1500, `but not much longer (${took.toFixed(0)} ms)`);
        }
      });
    }
  });
}

test('fallback counts and latency show on /metrics', async () => {
  const text = await (await fetch(`${rig.server.parlor.endpoint}/metrics`)).text();
  for (const [outcome, reason] of [['allowed', 'none'], ['denied', 'none'], ['rewritten', 'none'], ['fallback', 'timeout'], ['fallback', 'error'], ['fallback', 'invalid']]) {
    const line = new RegExp(`^parlor_reviews_total\\{outcome="${outcome}",reason="${reason}"\\} (\\d+)$`, 'm').exec(text);
    assert.ok(line && Number(line[1]) > 0, `parlor_reviews_total ${outcome}/${reason} counted`);
  }
  assert.match(text, /^parlor_review_duration_seconds_count\{outcome="fallback"\} [1-9]/m);
});
