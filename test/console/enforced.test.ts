/**
 * The console under enforced mode, in Chromium: a sign-in page first; a wrong secret is
 * refused with the AWS error shown; a read-only key signs in, reads rooms, and sees a change
 * refused with AccessDeniedException on screen (and nothing changed). The key lives in
 * sessionStorage only. /metrics needs PARLOR_METRICS_TOKEN here: the overview asks for it.
 * Skipped, loudly, without /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CreateRoomCommand, GetRoomCommand } from '@aws-sdk/client-ivschat';
import type { Browser, Page } from 'playwright-core';
import { builtConsole, launchBrowser, openPage, screenshots, skipWithoutChromium as skip } from '../helpers/console.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN = { accessKeyId: 'AKIACONSOLEADMIN', secretAccessKey: 'admin-secret-0123456789' };
const READER = { accessKeyId: 'AKIACONSOLEREADER', secretAccessKey: 'reader-secret-0123456789' };
const METRICS_TOKEN = 'metrics-token-for-the-console';

let dir: string;
let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];
let roomArn: string;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'parlor-console-auth-'));
  const authFile = join(dir, 'auth.json');
  writeFileSync(
    authFile,
    JSON.stringify({
      accounts: [
        {
          id: '111111111111',
          credentials: [
            ADMIN,
            { ...READER, policy: { Statement: [{ Effect: 'Allow', Action: ['ivschat:Get*', 'ivschat:List*'], Resource: '*' }] } },
          ],
        },
      ],
    }),
  );
  const [consoleDir, b] = await Promise.all([builtConsole(), launchBrowser()]);
  browser = b;
  server = await startTestServer({ authFile, metricsToken: METRICS_TOKEN }, { consoleDir });
  const room = await server.client('us-east-1', ADMIN).send(new CreateRoomCommand({ name: 'guarded', maximumMessageLength: 300 }));
  roomArn = room.arn!;
  ({ page, errors } = await openPage(browser, `${server.parlor.endpoint}/console`));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a wrong secret is refused at sign-in with the AWS error shown', { skip, timeout: 60_000 }, async () => {
  await page.getByRole('heading', { name: 'Sign in to Parlor' }).waitFor();
  await screenshots(page, 'sign-in');
  await page.getByLabel('Access key ID').fill(READER.accessKeyId);
  await page.getByLabel('Secret access key').fill('not-the-secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.error-box').getByText('InvalidSignatureException').waitFor();
  await screenshots(page, 'sign-in-refused');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
});

test('a read-only key reads the rooms, and a change is refused with AccessDeniedException on screen', { skip, timeout: 60_000 }, async () => {
  await page.getByLabel('Secret access key').fill(READER.secretAccessKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.match(await page.locator('header .who').innerText(), /AKIACONSOLEREADER/);
  // Kept for the tab only: sessionStorage, never localStorage or a cookie.
  assert.equal(await page.evaluate(() => localStorage.length + document.cookie.length), 0);
  assert.match(await page.evaluate(() => JSON.stringify(sessionStorage)), /AKIACONSOLEREADER/);

  // The overview says metrics need the token, refuses a wrong one, and reads them with the right one.
  const ask = page.locator('form', { hasText: 'Metrics need the token' });
  await ask.getByLabel('Metrics token').fill('wrong');
  await ask.getByRole('button', { name: 'Use token' }).click();
  await ask.getByText('The server refused that token').waitFor();
  await screenshots(page, 'overview-metrics-token');
  await ask.getByLabel('Metrics token').fill(METRICS_TOKEN);
  await ask.getByRole('button', { name: 'Use token' }).click();
  await ask.waitFor({ state: 'detached' });
  await page.locator('.stat', { hasText: 'Open connections' }).getByText('0', { exact: true }).waitFor();

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Rooms' }).click();
  await page.getByRole('link', { name: 'guarded' }).click();
  const form = page.locator('form.room-settings');
  await form.getByLabel('Maximum message length').fill('20');
  await form.getByRole('button', { name: 'Save settings' }).click();
  const refusal = form.locator('.error-box');
  await refusal.getByText('AccessDeniedException').waitFor();
  await refusal.getByText('HTTP 403').waitFor();
  await screenshots(page, 'enforced-refused');
  const room = await server.client('us-east-1', ADMIN).send(new GetRoomCommand({ identifier: roomArn }));
  assert.equal(room.maximumMessageLength, 300);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to Parlor' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.deepEqual(errors, []);
});
