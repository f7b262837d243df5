/**
 * CORS in a real browser: a page served from another origin (a tiny static server here) runs
 * the AWS SDK and the official chat client, bundled by esbuild, in Chromium. With its origin in
 * PARLOR_CORS_ORIGINS it creates a room, mints a token, chats, and gets a
 * ResourceNotFoundException as that class; without, the browser blocks its calls.
 * Skipped, loudly, when Chromium is not installed (apt-get install chromium).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ScenarioResult } from './browser/page-entry.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;
const HERE = dirname(fileURLToPath(import.meta.url));

let page: Server;
let pageOrigin: string;
let allowed: TestServer;
let closed: TestServer;
let browser: Browser;

before(async () => {
  if (skip) return;
  const bundle = await build({
    entryPoints: [join(HERE, 'browser', 'page-entry.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  page = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>parlor page</title><script src="/app.js"></script>');
    }
  });
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  allowed = await startTestServer({ corsOrigins: [pageOrigin] });
  closed = await startTestServer({});
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});
after(async () => {
  if (skip) return;
  await browser?.close();
  await allowed?.stop();
  await closed?.stop();
  page?.close();
});

async function runInPage(endpoint: string): Promise<ScenarioResult> {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${pageOrigin}/`);
    await tab.waitForFunction(() => typeof (globalThis as { scenario?: unknown }).scenario === 'function', undefined, { timeout: 60_000 });
    return await tab.evaluate(
      (url) => (globalThis as unknown as { scenario(u: string): Promise<ScenarioResult> }).scenario(url),
      endpoint,
    );
  } finally {
    await tab.close();
  }
}

test('an allowed origin: room, token, official client, and ResourceNotFoundException as its class', { skip, timeout: 180_000 }, async () => {
  const result = await runInPage(allowed.parlor.endpoint);
  assert.equal(result.failure, undefined, result.failure);
  assert.match(result.roomArn!, /:room\//);
  assert.equal(result.echoed, 'hello from chromium');
  assert.equal(result.errorName, 'ResourceNotFoundException');
  assert.equal(result.errorIsClass, true);
});

test('an origin that is not allowed: the browser blocks the SDK\'s calls', { skip, timeout: 180_000 }, async () => {
  const result = await runInPage(closed.parlor.endpoint);
  assert.match(result.failure ?? '', /fetch|network/i, JSON.stringify(result));
  assert.equal(result.roomArn, undefined);
});
