/**
 * Review in a running conversation: UpdateRoom switching handlers, isolation between rooms,
 * order per sender, what is not reviewed, and the official client's view of a denial.
 */
import { DeleteMessageCommand, DisconnectUserCommand, SendEventCommand } from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connected, officialClient, SendMessageRequest, type ChatRoomType } from '../helpers/chat.js';
import { messages, say, startReviewRig, type ReviewRig } from '../helpers/review-chat.js';
import { allow, deny } from '../helpers/review-handlers.js';

// Long, so the isolation test has a wide margin between "waited for the slow handler" and not.
const TIMEOUT_MS = 1000;
let rig: ReviewRig;
const official: ChatRoomType[] = [];
before(async () => {
  rig = await startReviewRig(['upper'], { reviewTimeoutMs: TIMEOUT_MS });
  rig.fake.on('deny-all', () => deny('closed for review'));
  rig.fake.on('hook-upper', (r) => allow(r.Content.toUpperCase()));
  rig.fake.on('stuck', () => ({ kind: 'slow', ms: 10_000, then: allow() }));
  rig.fake.on('fast', () => allow());
});
after(async () => {
  for (const room of official) room.disconnect();
  await rig.stop();
});

test('UpdateRoom removing, then changing, the handler applies to the very next message', async () => {
  const roomArn = await rig.room({ uri: rig.lambdaArn('deny-all'), fallbackResult: 'ALLOW' });
  const sender = await rig.join(roomArn, 'sender');
  const first = await sender.byRequest(say(sender, 'one'));
  assert.equal(first.ErrorCode, 406);

  await rig.setHandler(roomArn, { uri: '' });
  const callsBefore = rig.fake.calls.length;
  const second = await sender.byRequest(say(sender, 'two'));
  assert.deepEqual([second.Type, second.Content], ['MESSAGE', 'two']);
  assert.equal(rig.fake.calls.length, callsBefore, 'no handler, no call');

  await rig.setHandler(roomArn, { uri: rig.hookArn('upper'), fallbackResult: 'DENY' });
  const third = await sender.byRequest(say(sender, 'three'));
  assert.deepEqual([third.Type, third.Content], ['MESSAGE', 'THREE']);
  assert.equal(rig.fake.calls.at(-1)!.via, 'webhook');
});

test('a slow handler delays only its own room: the other room keeps its pace', async () => {
  const slowRoom = await rig.room({ uri: rig.lambdaArn('stuck'), fallbackResult: 'ALLOW' }, { maximumMessageRatePerSecond: 100 });
  const fastRoom = await rig.room({ uri: rig.lambdaArn('fast'), fallbackResult: 'DENY' }, { maximumMessageRatePerSecond: 100 });
  const slowSenders = await Promise.all(Array.from({ length: 12 }, (_, i) => rig.join(slowRoom, `slow-${i}`)));
  const fastSender = await rig.join(fastRoom, 'fast-sender');
  const stuckBefore = rig.fake.calls.filter((c) => c.name === 'stuck').length;
  const callsBefore = rig.fake.calls.length;
  const slowStarted = performance.now();
  const slowRequests = slowSenders.map((s, i) => say(s, `slow ${i}`));
  await rig.fake.waitForCalls(callsBefore + slowSenders.length);
  // While all of those sit at the stuck handler, the fast room sends one message at a time.
  const latencies: number[] = [];
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now();
    const frame = await fastSender.byRequest(say(fastSender, `fast ${i}`));
    latencies.push(performance.now() - t0);
    assert.equal(frame.Type, 'MESSAGE');
  }
  const slowDelivered = await Promise.all(slowSenders.map((s, i) => s.byRequest(slowRequests[i]!)));
  const slowTook = performance.now() - slowStarted;
  assert.ok(slowDelivered.every((f) => f.Type === 'MESSAGE'), 'the slow room falls back to ALLOW');
  assert.ok(rig.fake.calls.filter((c) => c.name === 'stuck').length - stuckBefore >= 12, 'the slow handler was really asked');
  assert.ok(slowTook >= TIMEOUT_MS - 10, `slow room waited for its deadline (${slowTook.toFixed(0)} ms)`);
  const worst = Math.max(...latencies);
  assert.ok(worst < TIMEOUT_MS / 2, `fast room never waited on the slow handler (worst ${worst.toFixed(1)} ms)`);
});

test('each sender\'s messages arrive in the order sent, even when later reviews finish first', async () => {
  let n = 0;
  // Earlier messages take longer: a pipeline reviewing in parallel would reorder them.
  rig.fake.on('jittery', () => ({ kind: 'slow', ms: Math.max(0, 60 - 7 * n++), then: allow() }));
  const roomArn = await rig.room({ uri: rig.lambdaArn('jittery'), fallbackResult: 'DENY' }, { maximumMessageRatePerSecond: 100 });
  const [a, b] = [await rig.join(roomArn, 'a'), await rig.join(roomArn, 'b')];
  const watcher = await rig.join(roomArn, 'watcher');
  for (let i = 0; i < 8; i++) {
    say(a, `a${i}`);
    say(b, `b${i}`);
  }
  await watcher.next(() => messages(watcher).length >= 16);
  const got = messages(watcher).map((f) => String(f.Content));
  assert.deepEqual(got.filter((c) => c.startsWith('a')), ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
  assert.deepEqual(got.filter((c) => c.startsWith('b')), ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
});

test('SendEvent, DeleteMessage and DisconnectUser are never reviewed', async () => {
  const roomArn = await rig.room({ uri: rig.lambdaArn('deny-all'), fallbackResult: 'DENY' });
  const moderator = await rig.join(roomArn, 'mod', { capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] });
  const victim = await rig.join(roomArn, 'victim');
  const control = rig.server.client();
  const callsBefore = rig.fake.calls.length;
  await control.send(new SendEventCommand({ roomIdentifier: roomArn, eventName: 'app:ping', attributes: { a: 'b' } }));
  await control.send(new DeleteMessageCommand({ roomIdentifier: roomArn, id: 'AbCdEfGhIjKl', reason: 'api' }));
  moderator.send({ Action: 'DELETE_MESSAGE', RequestId: 'del-1', Id: 'AbCdEfGhIjKl', Reason: 'ws' });
  await moderator.byRequest('del-1');
  moderator.send({ Action: 'DISCONNECT_USER', RequestId: 'dis-1', UserId: 'victim', Reason: 'ws' });
  await moderator.byRequest('dis-1');
  await victim.waitClosed();
  await control.send(new DisconnectUserCommand({ roomIdentifier: roomArn, userId: 'nobody', reason: 'api' }));
  const names = moderator.frames.filter((f) => f.Type === 'EVENT').map((f) => f.EventName);
  assert.ok(names.includes('app:ping') && names.includes('aws:DELETE_MESSAGE') && names.includes('aws:DISCONNECT_USER'), `events delivered: ${names.join(', ')}`);
  assert.equal(rig.fake.calls.length, callsBefore, 'the handler was not called');
  // …while a message in the same room is.
  assert.equal((await moderator.byRequest(say(moderator, 'hi'))).ErrorCode, 406);
  assert.equal(rig.fake.calls.length, callsBefore + 1);
});

test('the official client: a denied sendMessage rejects with 406, a rewritten one resolves rewritten', async () => {
  const roomArn = await rig.room({ uri: rig.hookArn('upper'), fallbackResult: 'ALLOW' });
  const { room } = officialClient(rig.server, roomArn, 'official', { capabilities: ['SEND_MESSAGE'] });
  official.push(room);
  await connected(room);
  const sent = await room.sendMessage(new SendMessageRequest('quiet please'));
  assert.equal(sent.content, 'QUIET PLEASE');

  await rig.setHandler(roomArn, { uri: rig.lambdaArn('deny-all'), fallbackResult: 'ALLOW' });
  await assert.rejects(room.sendMessage(new SendMessageRequest('let me in')), (err: { errorCode: number; errorMessage: string }) => {
    assert.equal(err.errorCode, 406);
    assert.match(err.errorMessage, /closed for review/);
    return true;
  });
});
