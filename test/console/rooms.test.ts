/**
 * The console's rooms in Chromium: the empty state, a room created in the form and read back
 * with the AWS SDK, the list with its filter. Skipped, loudly, without /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetRoomCommand, ListRoomsCommand } from '@aws-sdk/client-ivschat';
import type { Browser, Page } from 'playwright-core';
import { builtConsole, launchBrowser, openPage, screenshots, skipWithoutChromium as skip } from '../helpers/console.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];

before(async () => {
  if (skip) return;
  const [consoleDir, b] = await Promise.all([builtConsole(), launchBrowser()]);
  browser = b;
  server = await startTestServer({}, { consoleDir });
  ({ page, errors } = await openPage(browser, `${server.parlor.endpoint}/console`));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an empty server says so, and a room created in the form is there for the SDK', { skip, timeout: 60_000 }, async () => {
  await page.getByRole('link', { name: 'Rooms' }).click();
  await page.getByText('No rooms yet — create one').waitFor();
  await screenshots(page, 'rooms-empty');

  await page.getByRole('button', { name: 'Create room' }).first().click();
  const form = page.locator('form.create-room');
  await form.getByLabel('Name', { exact: true }).fill('lobby');
  await form.getByLabel('Maximum message length').fill('200');
  await form.getByLabel('Maximum message rate per second').fill('5');
  await form.getByLabel('Fallback result').selectOption('DENY');
  await screenshots(page, 'rooms-create');
  await form.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/#\/rooms\/\d+\/[A-Za-z0-9]+$/);

  const sdk = server.client();
  const listed = await sdk.send(new ListRoomsCommand({}));
  assert.equal(listed.rooms?.length, 1);
  const room = await sdk.send(new GetRoomCommand({ identifier: listed.rooms![0]!.arn! }));
  assert.equal(room.name, 'lobby');
  assert.equal(room.maximumMessageLength, 200);
  assert.equal(room.maximumMessageRatePerSecond, 5);
  assert.ok(page.url().endsWith(`/${room.id}`), page.url());

  await page.getByRole('link', { name: 'Rooms' }).click();
  await page.getByRole('link', { name: 'lobby' }).waitFor();
  await screenshots(page, 'rooms-list');
  assert.deepEqual(errors, []);
});
