/**
 * Chat test helpers: rooms and tokens through the SDK, the official client wired to a test
 * server, a raw `ws` client that records frames, and bounded waits (no sleeps).
 */
import { CreateChatTokenCommand, CreateRoomCommand, type ChatTokenCapability, type IvschatClient } from '@aws-sdk/client-ivschat';
import { WebSocket } from 'ws';
import { after, before } from 'node:test';
import type { Config } from '../../src/app/config.js';
import type { StartOptions } from '../../src/app/start.js';
import { startTestServer, type TestServer } from './server.js';

// The official client uses the global WebSocket, which Node 20 lacks.
Object.assign(globalThis, { WebSocket });
const messaging = await import('amazon-ivs-chat-messaging');
export const { ChatRoom, SendMessageRequest, DeleteMessageRequest, DisconnectUserRequest } = messaging;
export type ChatRoomType = InstanceType<typeof ChatRoom>;

/** Resolves when `check` returns (or resolves to) a value other than undefined; rejects after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function createRoom(client: IvschatClient, input: { maximumMessageLength?: number; maximumMessageRatePerSecond?: number } = {}): Promise<string> {
  const room = await client.send(new CreateRoomCommand({ name: 'chat-test', ...input }));
  return room.arn!;
}

/** What the chat helpers need of a server: an SDK client and its URLs (a TestServer, or a node process). */
export interface ChatHost {
  client(): IvschatClient;
  readonly parlor: { readonly chatUrl: string; readonly endpoint: string };
}

export interface TokenOptions {
  capabilities?: ChatTokenCapability[];
  attributes?: Record<string, string>;
  sessionDurationInMinutes?: number;
}

export async function chatToken(client: IvschatClient, roomArn: string, userId: string, options: TokenOptions = {}) {
  return client.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId, ...options }));
}

export const ALL_CAPABILITIES: ChatTokenCapability[] = ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'];

/** A token the official client's tokenProvider hands out. */
export interface ProvidedToken {
  readonly token: string;
  readonly sessionExpirationTime?: Date | undefined;
  readonly tokenExpirationTime?: Date | undefined;
}

/**
 * The official client for `userId`, fetching a new token on each (re)connect (the first one
 * may be given: `firstToken`, minted beforehand); not yet connected.
 */
export function officialClient(
  server: ChatHost,
  roomArn: string,
  userId: string,
  options: TokenOptions & { firstToken?: ProvidedToken } = {},
  url = server.parlor.chatUrl,
): { room: ChatRoomType; tokensFetched: () => number } {
  const { firstToken, ...tokenOptions } = options;
  const client = server.client();
  let fetched = 0;
  let given = firstToken;
  const room = new ChatRoom({
    regionOrUrl: url,
    tokenProvider: async () => {
      fetched++;
      if (given) {
        const first = given;
        given = undefined;
        return first;
      }
      const t = await chatToken(client, roomArn, userId, tokenOptions);
      return { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
    },
  });
  room.logLevel = 'error';
  room.logger = { debug() {}, info() {}, error() {} };
  // Client 1.1.1 overwrites its pending rotation timer on every reconnect without clearing
  // it, so disconnect() cannot cancel the old one and it keeps the test process alive for
  // (tokenExpirationTime − 60 s). Clearing the previous timer whenever a new one is scheduled
  // is what a fixed client would do; it changes nothing within a test.
  const internals = room as unknown as { nextConnectionScheduleHandle: ReturnType<typeof setTimeout> | null; scheduleReconnect(expiry: Date): void };
  const schedule = internals.scheduleReconnect.bind(room);
  internals.scheduleReconnect = (expiry) => {
    if (internals.nextConnectionScheduleHandle != null) clearTimeout(internals.nextConnectionScheduleHandle);
    schedule(expiry);
  };
  return { room, tokensFetched: () => fetched };
}

/** Connects and resolves once the official client reports `connect`. */
export async function connected(room: ChatRoomType, ms = 5000): Promise<void> {
  let ok = false;
  const off = room.addListener('connect', () => (ok = true));
  room.connect();
  await waitFor('connect', () => (ok ? true : undefined), ms);
  off();
}

export type Frame = Record<string, unknown> & { Type: string; Id: string };

/** A raw WebSocket client that keeps every frame it receives. */
export class RawClient {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  closed = false;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  static async open(server: ChatHost, token: string): Promise<RawClient> {
    const ws = new WebSocket(server.parlor.chatUrl, token);
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(action: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(action));
  }

  /** The first frame (from index `from`) satisfying `match`. */
  next(match: (f: Frame) => boolean, from = 0, ms = 5000): Promise<Frame> {
    return waitFor('a matching frame', () => this.frames.slice(from).find(match), ms);
  }

  byRequest(requestId: string, ms = 5000): Promise<Frame> {
    return this.next((f) => f['RequestId'] === requestId, 0, ms);
  }

  waitClosed(ms = 5000): Promise<number> {
    return waitFor('close', () => (this.closed ? (this.closeCode ?? 0) : undefined), ms);
  }
}

/** The value of a metric line `name` on the server's /metrics (0 when absent). */
export async function metric(server: ChatHost, name: string): Promise<number> {
  const text = await (await fetch(`${server.parlor.endpoint}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

/** Attempts an upgrade and returns the HTTP status of the refusal (or 101 when accepted). */
export function upgradeStatus(server: ChatHost, protocol: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = protocol === undefined ? new WebSocket(server.parlor.chatUrl) : new WebSocket(server.parlor.chatUrl, protocol);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

export interface ChatFixture {
  /** Valid inside tests (started in `before`). */
  readonly server: TestServer;
  /** Raw clients to terminate after the file's tests. */
  readonly clients: RawClient[];
  /** The server's frozen clock (epoch ms); tests move it forward. */
  clock: number;
}

/**
 * Starts one server for a test file, with a frozen clock that only the tests move (rate limits
 * and expiries become exact), and stops it after, terminating the listed raw clients.
 */
export function chatFixture(overrides: Partial<Config> = {}, options: StartOptions = {}): ChatFixture {
  let server: TestServer | undefined;
  const fixture: ChatFixture = {
    get server() {
      if (!server) throw new Error('the server starts in before()');
      return server;
    },
    clients: [],
    clock: Date.now(),
  };
  before(async () => {
    server = await startTestServer(overrides, { now: () => fixture.clock, ...options });
  });
  after(async () => {
    for (const c of fixture.clients) c.ws.terminate();
    await server?.stop();
  });
  return fixture;
}
