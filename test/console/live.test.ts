/**
 * A room, live, in Chromium: a message sent by an official client in Node appears in the
 * console's chat pane; deleting it there reaches the Node client as a delete event;
 * disconnecting and banning a user from the console end that user's connection (and the ban
 * shows in ListBans). Skipped, loudly, without /usr/bin/chromium.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateRoomCommand } from '@aws-sdk/client-ivschat';
import type { Browser, Page } from 'playwright-core';
import { ParlorClient } from '../../src/client/index.js';
import { connected, officialClient, SendMessageRequest, waitFor, type ChatRoomType } from '../helpers/chat.js';
import { builtConsole, launchBrowser, openPage, screenshots, skipWithoutChromium as skip } from '../helpers/console.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];
let roomArn: string;
const clients: ChatRoomType[] = [];

before(async () => {
  if (skip) return;
  const [consoleDir, b] = await Promise.all([builtConsole(), launchBrowser()]);
  browser = b;
  server = await startTestServer({}, { consoleDir });
  const room = await server.client().send(new CreateRoomCommand({ name: 'stage', tags: { 'parlor:presence-events': 'true' } }));
  roomArn = room.arn!;
  ({ page, errors } = await openPage(browser, `${server.parlor.endpoint}/console#/rooms/${roomArn.split(':')[4]}/${room.id}/live`));
  await page.locator('section.chat[data-state="connected"]').waitFor();
});
after(async () => {
  for (const c of clients) c.disconnect();
  await browser?.close();
  await server?.stop();
});

async function node(userId: string): Promise<{ room: ChatRoomType; deleted: string[]; disconnects: string[] }> {
  const { room } = officialClient(server, roomArn, userId, { capabilities: ['SEND_MESSAGE'] });
  const deleted: string[] = [];
  const disconnects: string[] = [];
  room.addListener('messageDelete', (e) => deleted.push(e.messageId));
  room.addListener('disconnect', (reason) => disconnects.push(reason));
  clients.push(room);
  await connected(room);
  return { room, deleted, disconnects };
}

test("a Node client's message appears in the chat pane, and deleting it there reaches the client", { skip, timeout: 60_000 }, async () => {
  const alice = await node('alice');
  const sent = await alice.room.sendMessage(new SendMessageRequest('hello from node'));
  const row = page.locator(`li[data-message-id="${sent.id}"]`);
  await row.getByText('hello from node').waitFor();
  await row.getByText('alice').waitFor();
  // ListRoomUsers shows both the console and alice.
  await page.locator('tr[data-user="alice"]').waitFor();

  await row.getByRole('button', { name: 'Delete message from alice' }).click();
  await waitFor('the delete event at the Node client', () => (alice.deleted.includes(sent.id) ? true : undefined));
  await row.getByText('(deleted)').waitFor();
  await screenshots(page, 'room-live');
});

test('the console sends, disconnects a user and bans one', { skip, timeout: 60_000 }, async () => {
  const bob = await node('bob');
  const heard: string[] = [];
  bob.room.addListener('message', (m) => heard.push(m.content));
  await page.getByLabel('Message', { exact: true }).fill('welcome, everyone');
  await page.getByRole('button', { name: 'Send' }).click();
  await waitFor('the console message at bob', () => (heard.includes('welcome, everyone') ? true : undefined));

  await page.locator('tr[data-user="bob"]').getByRole('button', { name: 'Disconnect bob' }).click();
  await waitFor('bob disconnected', () => (bob.disconnects.length > 0 ? true : undefined));
  assert.equal(bob.disconnects[0], 'serverDisconnect');
  await page.getByText('bob was disconnected').first().waitFor();

  const carol = await node('carol');
  await page.locator('tr[data-user="carol"]').getByRole('button', { name: 'Ban carol' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason').fill('spam');
  await screenshots(page, 'room-live-ban');
  await dialog.getByRole('button', { name: 'Ban user' }).click();
  await waitFor('carol disconnected', () => (carol.disconnects.length > 0 ? true : undefined));
  const parlor = new ParlorClient({ endpoint: server.parlor.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
  const bans = await parlor.listBans({ roomIdentifier: roomArn });
  assert.deepEqual(bans.bans?.map((b) => [b.userId, b.reason]), [['carol', 'spam']]);
  await page.locator('.bans').getByText('carol').waitFor();
  await screenshots(page, 'room-live-after');
  assert.deepEqual(errors, []);
});
