/**
 * The shutdown drain in embedded mode, through the official client: /readyz turns 503 first,
 * every client is sent away in the way it answers by reconnecting, and a client whose token
 * provider waits for the server to answer again is chatting after a restart on the same port.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { ChatRoom, chatToken, connected, createRoom, SendMessageRequest, waitFor, type ChatRoomType } from '../helpers/chat.js';
import { startTestServer, tempDataDir } from '../helpers/server.js';

test('/readyz: 200 with the node id once started; not ready from the first moment of a shutdown', async () => {
  const server = await startTestServer({ nodeId: 'embedded-a' });
  const ready = await fetch(`${server.parlor.endpoint}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready', node: 'embedded-a', checks: {} });
  // A client keeps the drain busy long enough to ask /readyz in the middle of it.
  const roomArn = await createRoom(server.client());
  const ws = new WebSocket(server.parlor.chatUrl, (await chatToken(server.client(), roomArn, 'u')).token!);
  await new Promise((resolve) => ws.addEventListener('open', resolve));
  const stopping = server.parlor.close();
  // Embedded mode closes its port first (nowhere else to send clients): a new connection is
  // refused; one that gets through is told 503.
  const draining = await fetch(`${server.parlor.endpoint}/readyz`).then(
    (r) => r.status,
    () => 'refused',
  );
  assert.ok(draining === 503 || draining === 'refused', `not ready while draining, got ${draining}`);
  await stopping;
  await server.stop();
});

test('a restart in embedded mode: the official client reconnects by itself and chats on', async () => {
  const dataDir = tempDataDir();
  let server = await startTestServer({ dataDir });
  const port = server.parlor.port;
  const endpoint = server.parlor.endpoint;
  const roomArn = await createRoom(server.client());
  const sdk = new IvschatClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
  // An app's token provider that keeps asking its backend until Parlor answers again (the
  // official client itself retries only three times, at once); here the backend is the SDK.
  let fetched = 0;
  const patientToken = async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        const t = await chatToken(sdk, roomArn, 'viewer', { capabilities: ['SEND_MESSAGE'] });
        fetched++;
        return { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
      } catch (err) {
        if (attempt > 200) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const viewer: ChatRoomType = new ChatRoom({ regionOrUrl: server.parlor.chatUrl, tokenProvider: patientToken });
  viewer.logger = { debug() {}, info() {}, error() {} };
  const states: string[] = [];
  viewer.addListener('connecting', () => {
    states.push('connecting');
    // See officialClient in helpers/chat.ts: client 1.1.1 leaks its rotation timer on reconnect.
    const internals = viewer as unknown as { nextConnectionScheduleHandle: ReturnType<typeof setTimeout> | null };
    if (internals.nextConnectionScheduleHandle != null) clearTimeout(internals.nextConnectionScheduleHandle);
  });
  viewer.addListener('disconnect', (reason) => states.push(`disconnect:${reason}`));
  await connected(viewer);
  await viewer.sendMessage(new SendMessageRequest('before'));

  await server.stop(true);
  assert.ok(states.includes('connecting'), 'the client started to reconnect by itself');
  server = await startTestServer({ dataDir, port });
  await waitFor('the client back on the restarted server', () => (viewer.state === 'connected' ? true : undefined), 15_000);
  const echoed = await viewer.sendMessage(new SendMessageRequest('after'));
  assert.equal(echoed.content, 'after');
  assert.ok(!states.some((s) => s.startsWith('disconnect')), `never gave up: ${states.join(', ')}`);
  assert.ok(fetched >= 2, 'a new token was fetched for the new connection');
  viewer.disconnect();
  const internals = viewer as unknown as { nextConnectionScheduleHandle: ReturnType<typeof setTimeout> | null };
  if (internals.nextConnectionScheduleHandle != null) clearTimeout(internals.nextConnectionScheduleHandle);
  sdk.destroy();
  await server.stop();
});
