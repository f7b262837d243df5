/**
 * The console's pages in Chromium (open mode): the empty state, a room created in the form and
 * read back with the AWS SDK, its maximum message length changed in the form and enforced on an
 * official client, the server's validation messages beside their fields, logging
 * configurations, deletion, and the overview. Screenshots of each page go to
 * test-output/console/. Skipped, loudly, without /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateRoomCommand, GetRoomCommand, ListLoggingConfigurationsCommand, ListRoomsCommand } from '@aws-sdk/client-ivschat';
import type { Browser, Page } from 'playwright-core';
import { builtConsole, launchBrowser, openPage, screenshots, skipWithoutChromium as skip } from '../helpers/console.js';
import { connected, officialClient, SendMessageRequest } from '../helpers/chat.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];
/** The room the first test creates (later tests use it). */
let roomArn = '';

/** Follows a link of the header's navigation. */
const nav = (name: string): Promise<void> => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();

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
  // Keyboard first: Tab reaches the skip link, then the sections.
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Rooms');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/rooms$/);
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
  roomArn = room.arn!;

  await nav('Rooms');
  await page.getByRole('link', { name: 'lobby' }).waitFor();
  await screenshots(page, 'rooms-list');
  assert.deepEqual(errors, []);
});

test('the maximum message length saved in the form is the limit an official client meets', { skip, timeout: 60_000 }, async () => {
  const [, , , , account, rest] = roomArn.split(':');
  await page.goto(`${server.parlor.endpoint}/console#/rooms/${account}/${rest!.split('/')[1]}`);
  const form = page.locator('form.room-settings');
  await form.getByLabel('Maximum message length').fill('12');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.getByText(/^Saved at/).waitFor();

  const room = (await server.client().send(new GetRoomCommand({ identifier: roomArn })));
  assert.equal(room.maximumMessageLength, 12);
  const { room: alice } = officialClient(server, roomArn, 'alice', { capabilities: ['SEND_MESSAGE'] });
  await connected(alice);
  try {
    await alice.sendMessage(new SendMessageRequest('x'.repeat(12)));
    await assert.rejects(alice.sendMessage(new SendMessageRequest('x'.repeat(13))), (err: { errorCode?: number }) => err.errorCode === 400);
  } finally {
    alice.disconnect();
  }
});

test("an invalid value gets the server's own message beside the field it names", { skip, timeout: 60_000 }, async () => {
  const form = page.locator('form.room-settings');
  await form.getByLabel('Maximum message length').fill('501');
  await form.getByLabel('Maximum message rate per second').fill('0');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await assert.doesNotReject(form.locator('[data-field="maximumMessageLength"] .field-error').getByText('must be at most 500').waitFor());
  await form.locator('[data-field="maximumMessageRatePerSecond"] .field-error').getByText('must be at least 1').waitFor();
  await form.locator('.error-box').getByText('ValidationException').waitFor();
  // Only a number check is made in the page: words never reach the server.
  await form.getByLabel('Maximum message length').fill('lots');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.locator('[data-field="maximumMessageLength"] .field-error').getByText('Enter a number').waitFor();

  const parlor = page.locator('form.parlor-settings');
  await parlor.getByLabel('Messages kept (history)').fill('5000');
  await parlor.getByRole('button', { name: 'Save Parlor settings' }).click();
  await parlor.locator('[data-field="tags.parlor:history"] .field-error').getByText('must be a whole number from 0 to 1000').waitFor();
  await screenshots(page, 'room-settings-errors');

  await parlor.getByLabel('Messages kept (history)').fill('50');
  await parlor.getByLabel('Presence events').check();
  await parlor.getByRole('button', { name: 'Save Parlor settings' }).click();
  await parlor.getByText(/^Saved at/).waitFor();
  const room = await server.client().send(new GetRoomCommand({ identifier: roomArn }));
  assert.equal(room.maximumMessageLength, 12, 'the refused update changed nothing');
  assert.equal(room.tags?.['parlor:history'], '50');
  assert.equal(room.tags?.['parlor:presence-events'], 'true');
  await page.reload();
  await page.locator('form.room-settings').getByLabel('Maximum message length').waitFor();
  await screenshots(page, 'room-settings');
});

test('logging configurations: the empty state, create, where it delivers, its page', { skip, timeout: 60_000 }, async () => {
  await nav('Logging configurations');
  await page.getByText('No logging configurations yet — create one').waitFor();
  await screenshots(page, 'logging-empty');
  await page.getByRole('button', { name: 'Create logging configuration' }).first().click();
  const form = page.locator('form.create-logging');
  await form.getByLabel('Name', { exact: true }).fill('archive');
  await form.getByLabel('Destination').selectOption('s3');
  await form.getByLabel('Bucket name').fill('A');
  await form.getByRole('button', { name: 'Create' }).click();
  await form.locator('[data-field="destination-target"] .field-error').getByText('length must be at least 3').waitFor();
  await form.getByLabel('Bucket name').fill('chat-archive');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('link', { name: 'archive' }).waitFor();
  await page.getByText('S3 bucket chat-archive').waitFor();
  const listed = await server.client().send(new ListLoggingConfigurationsCommand({}));
  assert.equal(listed.loggingConfigurations?.[0]?.destinationConfiguration?.s3?.bucketName, 'chat-archive');
  await screenshots(page, 'logging-list');
  await page.getByRole('link', { name: 'archive' }).click();
  await page.getByRole('heading', { name: 'Where it delivers' }).waitFor();
  await screenshots(page, 'logging-edit');
});

test('a room is deleted only after the confirmation', { skip, timeout: 60_000 }, async () => {
  const doomed = await server.client().send(new CreateRoomCommand({ name: 'doomed' }));
  await page.goto(`${server.parlor.endpoint}/console#/rooms/${doomed.arn!.split(':')[4]}/${doomed.id}`);
  await page.getByRole('button', { name: 'Delete room' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Delete the room doomed?').waitFor();
  await screenshots(page, 'room-delete-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await server.client().send(new GetRoomCommand({ identifier: doomed.arn! }));
  await page.getByRole('button', { name: 'Delete room' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete room' }).click();
  await page.waitForURL(/#\/rooms$/);
  await assert.rejects(server.client().send(new GetRoomCommand({ identifier: doomed.arn! })), { name: 'ResourceNotFoundException' });
});

test('the overview shows rooms, connections and the node', { skip, timeout: 60_000 }, async () => {
  await nav('Overview');
  await page.locator('.stat').filter({ hasText: 'Rooms' }).first().getByText('1', { exact: true }).waitFor();
  await page.getByText(server.parlor.nodeId).first().waitFor();
  await page.locator('.pill', { hasText: 'ready' }).waitFor();
  // The messages-per-second chart starts with the second reading of /metrics (2 s apart).
  await page.locator('.chart canvas').waitFor();
  await screenshots(page, 'overview');
  assert.deepEqual(errors, []);
});

test('the rooms list pages and filters by name and logging configuration', { skip, timeout: 60_000 }, async () => {
  const sdk = server.client();
  const [archive] = (await sdk.send(new ListLoggingConfigurationsCommand({}))).loggingConfigurations!;
  for (let i = 0; i < 11; i++) {
    await sdk.send(new CreateRoomCommand({ name: `bulk-${i}`, ...(i === 7 ? { loggingConfigurationIdentifiers: [archive!.arn!] } : {}) }));
  }
  await nav('Rooms');
  await page.getByLabel('Rooms per page').selectOption('10');
  const rows = page.locator('table.rooms tbody tr');
  await page.getByText('Page 1', { exact: true }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.rooms tbody tr').length === 10);
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.getByText('Page 2', { exact: true }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.rooms tbody tr').length === 2);
  assert.equal(await page.getByRole('button', { name: 'Next →' }).isDisabled(), true);
  await page.getByRole('button', { name: '← Previous' }).click();
  await page.getByText('Page 1', { exact: true }).waitFor();

  await page.getByLabel('Name', { exact: true }).fill('bulk-3');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.rooms tbody tr').length === 1);
  assert.equal(await rows.first().locator('td').first().innerText(), 'bulk-3');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Logging configuration').selectOption({ label: 'archive' });
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.rooms tbody tr').length === 1);
  await rows.first().getByText('bulk-7').waitFor();
  await page.getByLabel('Name', { exact: true }).fill('nothing-like-this');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByText('No rooms match these filters.').waitFor();
  assert.deepEqual(errors, []);
});
