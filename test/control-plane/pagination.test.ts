/** Paging of ListRooms and ListLoggingConfigurations: maxResults bounds, tokens, completeness. */
import {
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  paginateListLoggingConfigurations,
  paginateListRooms,
  UpdateRoomCommand,
  type IvschatClient,
} from '@aws-sdk/client-ivschat';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectFieldErrors } from '../helpers/errors.js';
import { serverPerFile } from '../helpers/server.js';
import { freshRegion } from './fixtures.js';

const server = serverPerFile();

async function regionWithRooms(n: number, names: (i: number) => string = (i) => `room-${i}`): Promise<{ client: IvschatClient; arns: string[] }> {
  const client = server.client(freshRegion());
  const arns: string[] = [];
  for (let i = 0; i < n; i++) arns.push((await client.send(new CreateRoomCommand({ name: names(i) }))).arn!);
  return { client, arns };
}

async function regionWithLoggingConfigurations(n: number): Promise<{ client: IvschatClient; arns: string[] }> {
  const client = server.client(freshRegion());
  const arns: string[] = [];
  for (let i = 0; i < n; i++) {
    const out = await client.send(new CreateLoggingConfigurationCommand({ name: `log${i}`, destinationConfiguration: { s3: { bucketName: `bucket-${i}` } } }));
    arns.push(out.arn!);
  }
  return { client, arns };
}

describe('ListRooms paging', () => {
  test('pages of 3 over 7 rooms: 3, 3, 1, no token on the last, no duplicates or misses, order kept', async () => {
    const { client, arns } = await regionWithRooms(7);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await client.send(new ListRoomsCommand({ maxResults: 3, ...(token ? { nextToken: token } : {}) }));
      pages.push(out.rooms!.map((r) => r.arn!));
      token = out.nextToken;
      assert.ok(pages.length <= 3, 'terminates');
    } while (token);
    assert.deepEqual(pages.map((p) => p.length), [3, 3, 1]);
    const all = pages.flat();
    assert.equal(new Set(all).size, 7);
    assert.deepEqual([...all].sort(), [...arns].sort());
    const whole = (await client.send(new ListRoomsCommand({}))).rooms!.map((r) => r.arn);
    assert.deepEqual(all, whole, 'paging yields the same order as one page');
  });

  test('updates between pages cause no duplicates, and every untouched room is still listed', async () => {
    const { client, arns } = await regionWithRooms(8);
    const first = await client.send(new ListRoomsCommand({ maxResults: 3 }));
    const seen = first.rooms!.map((r) => r.arn!);
    const unseen = arns.filter((a) => !seen.includes(a));
    // One room already listed and one not yet listed move to the front of the order.
    for (const identifier of [seen[1]!, unseen[0]!]) await client.send(new UpdateRoomCommand({ identifier, name: 'moved' }));
    let token = first.nextToken;
    while (token) {
      const page = await client.send(new ListRoomsCommand({ maxResults: 3, nextToken: token }));
      seen.push(...page.rooms!.map((r) => r.arn!));
      token = page.nextToken;
    }
    assert.equal(new Set(seen).size, seen.length, 'no room twice');
    for (const a of unseen.slice(1)) assert.ok(seen.includes(a), `untouched room ${a} listed`);
  });

  test('an exact multiple of the page size ends without an empty extra page', async () => {
    const { client } = await regionWithRooms(4);
    const first = await client.send(new ListRoomsCommand({ maxResults: 2 }));
    assert.ok(first.nextToken);
    const second = await client.send(new ListRoomsCommand({ maxResults: 2, nextToken: first.nextToken }));
    assert.equal(second.rooms!.length, 2);
    assert.equal(second.nextToken, undefined);
  });

  test('the SDK paginator walks every room once; filters apply across pages', async () => {
    const { client, arns } = await regionWithRooms(9, (i) => (i % 3 === 0 ? 'odd-one' : `room-${i}`));
    const seen: string[] = [];
    for await (const page of paginateListRooms({ client, pageSize: 2 }, {})) seen.push(...page.rooms!.map((r) => r.arn!));
    assert.deepEqual([...seen].sort(), [...arns].sort());
    const filtered: string[] = [];
    for await (const page of paginateListRooms({ client, pageSize: 1 }, { name: 'odd-one' })) filtered.push(...page.rooms!.map((r) => r.arn!));
    assert.deepEqual(filtered.sort(), [arns[0], arns[3], arns[6]].sort());
  });

  test('maxResults defaults to 50; 1 and 50 are accepted, 0 and 51 are not', async () => {
    const { client } = await regionWithRooms(51);
    const def = await client.send(new ListRoomsCommand({}));
    assert.equal(def.rooms!.length, 50);
    assert.ok(def.nextToken);
    assert.equal((await client.send(new ListRoomsCommand({ nextToken: def.nextToken }))).rooms!.length, 1);
    assert.equal((await client.send(new ListRoomsCommand({ maxResults: 50 }))).rooms!.length, 50);
    assert.equal((await client.send(new ListRoomsCommand({ maxResults: 1 }))).rooms!.length, 1);
    await expectFieldErrors(client.send(new ListRoomsCommand({ maxResults: 0 })), ['maxResults']);
    await expectFieldErrors(client.send(new ListRoomsCommand({ maxResults: 51 })), ['maxResults']);
  });

  test('a token the server did not issue is a ValidationException on nextToken', async () => {
    const { client } = await regionWithRooms(1);
    const forged = Buffer.from(JSON.stringify({ t: 'x', a: 1 })).toString('base64url');
    for (const bad of ['garbage!', 'bm90LWpzb24', forged, 'x'.repeat(1025)]) {
      await expectFieldErrors(client.send(new ListRoomsCommand({ nextToken: bad })), ['nextToken']);
    }
    assert.equal((await client.send(new ListRoomsCommand({ nextToken: '' }))).rooms!.length, 1, 'an empty token is the first page');
  });
});

describe('ListLoggingConfigurations paging', () => {
  test('pages of 4 over 10 configurations, newest updateTime first, no duplicates or misses', async () => {
    const { client, arns } = await regionWithLoggingConfigurations(10);
    const seen: string[] = [];
    const times: number[] = [];
    let pages = 0;
    for await (const page of paginateListLoggingConfigurations({ client, pageSize: 4 }, {})) {
      pages++;
      seen.push(...page.loggingConfigurations!.map((c) => c.arn!));
      times.push(...page.loggingConfigurations!.map((c) => c.updateTime!.getTime()));
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 10);
    assert.deepEqual([...seen].sort(), [...arns].sort());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  test('maxResults 0 and 51 are rejected, a bad token too', async () => {
    const { client } = await regionWithLoggingConfigurations(2);
    assert.equal((await client.send(new ListLoggingConfigurationsCommand({ maxResults: 1 }))).loggingConfigurations!.length, 1);
    assert.equal((await client.send(new ListLoggingConfigurationsCommand({ maxResults: 50 }))).loggingConfigurations!.length, 2);
    await expectFieldErrors(client.send(new ListLoggingConfigurationsCommand({ maxResults: 0 })), ['maxResults']);
    await expectFieldErrors(client.send(new ListLoggingConfigurationsCommand({ maxResults: 51 })), ['maxResults']);
    await expectFieldErrors(client.send(new ListLoggingConfigurationsCommand({ nextToken: 'nope' })), ['nextToken']);
    await expectFieldErrors(client.send(new ListLoggingConfigurationsCommand({ maxResults: 0, nextToken: 'nope' })), ['maxResults', 'nextToken']);
  });
});
