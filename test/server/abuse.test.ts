/**
 * One connection cannot take the core: every frame, valid or not, spends its budget; answers
 * to over-budget frames stay within the budget; a connection that keeps flooding is closed
 * 1008 and counted, while a short burst only sees 429s.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CONNECTION_RATE_PER_SECOND, OVER_BUDGET_CLOSE_MS } from '../../src/chat/chat-session.js';
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

test('a connection that keeps sending over its budget is closed 1008 and counted', async () => {
  const before = await metric(fx.server, 'parlor_chat_policy_closes_total');
  const client = await open('flooder');
  const started = Date.now();
  const flood = setInterval(() => {
    for (let i = 0; i < 50 && client.ws.readyState === client.ws.OPEN; i++) client.ws.send('{"action":"SEND_MESSAGE","content":"x"}');
  }, 5);
  const code = await client.waitClosed(OVER_BUDGET_CLOSE_MS + 10_000);
  clearInterval(flood);
  const ms = Date.now() - started;
  assert.equal(code, 1008);
  assert.ok(ms >= OVER_BUDGET_CLOSE_MS - 100, `closed after ${ms} ms, not before the bound`);
  // Its answers over the whole flood: about the budget per second for both kinds, no more.
  const seconds = Math.ceil(ms / 1000) + 1;
  assert.ok(client.frames.length <= 2 * CONNECTION_RATE_PER_SECOND * seconds, `${client.frames.length} answers in ${ms} ms`);
  assert.equal(await metric(fx.server, 'parlor_chat_policy_closes_total'), before + 1);
});

test('a sender slightly over the rate gets 429s and keeps its connection', async () => {
  const client = await open('eager', ['SEND_MESSAGE']);
  let n = 0;
  // 15 a second for 4.5 s: over 10/s all along, but never by much.
  const timer = setInterval(() => client.send({ action: 'SEND_MESSAGE', requestId: `r${n++}`, content: 'hi' }), 1000 / 15);
  await new Promise((r) => setTimeout(r, OVER_BUDGET_CLOSE_MS + 1500));
  clearInterval(timer);
  assert.ok(client.frames.some((f) => f['ErrorCode'] === 429), 'some were refused');
  assert.ok(client.frames.some((f) => f.Type === 'MESSAGE'), 'most went through');
});
