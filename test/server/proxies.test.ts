/**
 * Behind a proxy: X-Forwarded-For is believed only from trusted proxies (the last untrusted hop
 * is the client), as seen by a review handler's Sender.Ip and by the per-address cap.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { WebSocket } from 'ws';
import type { Config } from '../../src/app/config.js';
import { chatToken, metric, RawClient, waitFor } from '../helpers/chat.js';
import { allow } from '../helpers/review-handlers.js';
import { startReviewRig, type ReviewRig } from '../helpers/review-chat.js';

const rigs: ReviewRig[] = [];
after(async () => {
  for (const rig of rigs) await rig.stop();
});

async function rig(config: Partial<Config>): Promise<ReviewRig> {
  const r = await startReviewRig([], config);
  rigs.push(r);
  r.fake.on('ip', () => allow());
  return r;
}

/** A raw client whose upgrade carries `X-Forwarded-For: forwarded`. */
async function openForwarded(r: ReviewRig, token: string, forwarded: string | undefined): Promise<RawClient> {
  const ws = new WebSocket(r.server.parlor.chatUrl, token, forwarded === undefined ? {} : { headers: { 'x-forwarded-for': forwarded } });
  const client = new RawClient(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

async function senderIp(r: ReviewRig, forwarded: string | undefined): Promise<string> {
  const roomArn = await r.room({ uri: r.lambdaArn('ip'), fallbackResult: 'DENY' });
  const token = (await chatToken(r.server.client(), roomArn, 'viewer', { capabilities: ['SEND_MESSAGE'] })).token!;
  const client = await openForwarded(r, token, forwarded);
  const before = r.fake.calls.length;
  client.send({ action: 'SEND_MESSAGE', requestId: 'r1', content: 'hi' });
  await r.fake.waitForCalls(before + 1);
  client.ws.close();
  return r.fake.calls[before]!.body.Sender.Ip;
}

test('without trusted proxies X-Forwarded-For is ignored: Sender.Ip is the peer', async () => {
  const r = await rig({});
  assert.equal(await senderIp(r, '203.0.113.9'), '127.0.0.1');
});

test('from a trusted proxy the last untrusted hop is the client; forged hops left of it are ignored', async () => {
  const r = await rig({ trustedProxies: ['127.0.0.0/8', '10.0.0.0/8'] });
  // The client forged 198.51.100.1; its proxy chain appended the real address, then an inner proxy.
  assert.equal(await senderIp(r, '198.51.100.1, 203.0.113.9, 10.1.2.3'), '203.0.113.9');
  assert.equal(await senderIp(r, '10.9.9.9'), '10.9.9.9', 'every hop trusted: the leftmost');
  assert.equal(await senderIp(r, undefined), '127.0.0.1', 'no header: the peer');
  assert.equal(await senderIp(r, 'garbage, 203.0.113.9'), '203.0.113.9');
});

test('a peer outside the trusted list cannot set the address', async () => {
  const r = await rig({ trustedProxies: ['10.0.0.0/8'] });
  assert.equal(await senderIp(r, '203.0.113.9'), '127.0.0.1');
});

test('PARLOR_MAX_CONNECTIONS_PER_IP: 503 before the upgrade, per forwarded address, freed on close', async () => {
  const r = await rig({ trustedProxies: ['127.0.0.1/32'], maxConnectionsPerIp: 2 });
  const roomArn = await r.room();
  const sdk = r.server.client();
  const token = async () => (await chatToken(sdk, roomArn, 'u')).token!;
  const a1 = await openForwarded(r, await token(), '203.0.113.1');
  await openForwarded(r, await token(), '203.0.113.1');
  const third = await token();
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(r.server.parlor.chatUrl, third, { headers: { 'x-forwarded-for': '203.0.113.1' } });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
  assert.equal(status, 503);
  assert.equal(await metric(r.server, 'parlor_chat_refused_per_ip_total'), 1);
  // The refused upgrade did not use up its token, and another address is not affected.
  await openForwarded(r, third, '203.0.113.2');
  a1.ws.close();
  await a1.waitClosed();
  await waitFor('a slot for 203.0.113.1', async () => {
    try {
      const c = await openForwarded(r, await token(), '203.0.113.1');
      c.ws.close();
      return true;
    } catch {
      return undefined;
    }
  });
});
