/** A start that fails after opening parts (here: the port is taken) closes what it opened. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DEFAULTS } from '../../src/app/config.js';
import { startParlor } from '../../src/app/start.js';
import { startTestServer, tempDataDir } from '../helpers/server.js';

test('startParlor on a port in use rejects and closes what it had opened', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as AddressInfo).port;
  const dataDir = tempDataDir();
  let chatLogClosed = 0;
  const chatLog = { record() {}, async close() {
    chatLogClosed++;
  } };
  await assert.rejects(startParlor({ ...DEFAULTS, port, dataDir, logLevel: 'silent' }, undefined, { chatLog }), /EADDRINUSE/);
  assert.equal(chatLogClosed, 1, 'the chat log (opened before listen) was closed once');
  // The SQLite store was closed too: the same data directory serves again at once.
  const again = await startTestServer({ dataDir });
  await again.stop();
  blocker.close();
});
