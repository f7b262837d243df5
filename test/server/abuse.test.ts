/**
 * One connection cannot take the core: every frame, valid or not, spends its budget; answers
 * to over-budget frames stay within the budget; a connection that keeps flooding is closed
 * 1008 and counted, while a short burst only sees 429s.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CONNECTION_RATE_PER_SECOND, OVER_BUDGET_CLOSE_MS, OVER_BUDGET_MAX_FRAMES, OVER_BUDGET_STREAK_GAP_MS } from '../../src/chat/chat-session.js';
import { chatToken, createRoom, metric, RawClient, waitFor } from '../helpers/chat.js';
import { serverPerFile } from '../helpers/server.js';

// Real clock: the close is about time spent over budget.
const fx = { server: serverPerFile(), clients: [] as RawClient[] };
after(() => {
  for (const c of fx.clients) c.ws.terminate();
});

async function open(userId: string, capabilities: Array<'SEND_MESSAGE'> = []): Promise<RawClient> {
  const sdk = fx.server.client();
  const roomArn = await createRoom(sdk);
  const client = await RawClient.open(fx.server, (await chatToken(sdk, roomArn, userId, { capabilities })).token!);
  fx.clients.push(client);
  return client;
}

test('invalid frames spend the budget: past it they are not answered one by one', async () => {
  const client = await open('garbage');
  // 200 unparsable frames at once: those within the budget get 400, at most as many more get 429.
  const started = Date.now();
  for (let i = 0; i < 200; i++) client.ws.send('{not json');
  await waitFor('answers', () => (client.frames.length >= CONNECTION_RATE_PER_SECOND ? true : undefined));
  await new Promise((r) => setTimeout(r, 300)); // let any (wrong) extra answers arrive
  // The bucket refills while the burst is read (slowly, on a loaded machine): allow for that.
  const budget = CONNECTION_RATE_PER_SECOND + Math.ceil(((Date.now() - started) / 1000) * CONNECTION_RATE_PER_SECOND);
  const codes = client.frames.map((f) => f['ErrorCode']);
  const bad = codes.filter((c) => c === 400).length;
  assert.ok(bad >= CONNECTION_RATE_PER_SECOND && bad <= budget, `${bad} answered as bad (budget ${budget})`);
  assert.ok(codes.filter((c) => c === 429).length <= budget, `429s bounded: ${codes.length} answers`);
  assert.ok(client.frames.length <= 2 * budget && client.frames.length < 200, `${client.frames.length} answers to 200 frames`);
  assert.equal(client.closed, false, 'a single burst is not a flood');
});

test('a flood is closed 1008 at once (after OVER_BUDGET_MAX_FRAMES), its answers bounded, and counted', async () => {
  const before = await metric(fx.server, 'parlor_chat_policy_closes_total');
  const client = await open('flooder');
  let sent = 0;
  const flood = setInterval(() => {
    for (let i = 0; i < 50 && client.ws.readyState === client.ws.OPEN; i++, sent++) client.ws.send('{"action":"SEND_MESSAGE","content":"x"}');
  }, 5);
  const code = await client.waitClosed(OVER_BUDGET_CLOSE_MS + 10_000);
  clearInterval(flood);
  assert.equal(code, 1008);
  assert.ok(sent >= OVER_BUDGET_MAX_FRAMES, `${sent} frames sent`);
  // Within budget: none (no capability → 403 for the first 10); then at most 10 refusals a second.
  assert.ok(client.frames.length <= 4 * CONNECTION_RATE_PER_SECOND, `${client.frames.length} answers to ${sent} frames`);
  assert.equal(await metric(fx.server, 'parlor_chat_policy_closes_total'), before + 1);
});

test('a sender steadily over the rate is closed 1008 after OVER_BUDGET_CLOSE_MS of it, not before', async () => {
  const client = await open('steady', ['SEND_MESSAGE']);
  let n = 0;
  const started = Date.now();
  // 20 a second: twice the rate, all along.
  const timer = setInterval(() => client.ws.readyState === client.ws.OPEN && client.send({ action: 'SEND_MESSAGE', requestId: `s${n++}`, content: 'hi' }), 50);
  const code = await client.waitClosed(OVER_BUDGET_CLOSE_MS + 15_000);
  clearInterval(timer);
  const ms = Date.now() - started;
  assert.equal(code, 1008);
  // The bucket's burst lasts ~1 s, then 3 s over budget.
  assert.ok(ms >= OVER_BUDGET_CLOSE_MS, `closed after ${ms} ms`);
  assert.ok(client.frames.some((f) => f.Type === 'MESSAGE'), 'what fit the budget went through');
  assert.ok(client.frames.some((f) => f['ErrorCode'] === 429));
});

test('bursts over the rate with pauses get 429s and keep the connection', async () => {
  const client = await open('bursty', ['SEND_MESSAGE']);
  for (let burst = 0; burst < 3; burst++) {
    for (let i = 0; i < 25; i++) client.send({ action: 'SEND_MESSAGE', requestId: `b${burst}-${i}`, content: 'hi' });
    await client.byRequest(`b${burst}-19`); // the last one the refusal budget answers
    await new Promise((r) => setTimeout(r, OVER_BUDGET_STREAK_GAP_MS + 500)); // a pause, as a person makes
  }
  assert.equal(client.closed, false);
  assert.ok(client.frames.filter((f) => f['ErrorCode'] === 429).length >= 3 * 10, 'each burst past 10 was refused');
  assert.ok(client.frames.filter((f) => f.Type === "MESSAGE").length >= 3 * 5, "those within the budget went through (room rate permitting)");
});
