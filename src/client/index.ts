/**
 * ParlorClient: a typed client for Parlor's extension operations (`parlor/client`), signed
 * like the AWS SDK's (SigV4, service `ivschat`). One camelCase method per operation of
 * models/parlor/, taking the operation's input and resolving to its output. Runs in Node 20
 * and in browsers: it uses only `fetch` and platform-neutral hashing.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';
import { OPERATIONS, type ExtensionOperationName, type OperationShapes } from '../protocol/generated/model.js';
import { errorOf } from './errors.js';

export * from './errors.js';
export type {
  BanSummary,
  BanUserRequest,
  BanUserResponse,
  KeptMessage,
  KeptMessageSender,
  ListBansRequest,
  ListBansResponse,
  ListMessagesRequest,
  ListMessagesResponse,
  ListRoomUsersRequest,
  ListRoomUsersResponse,
  RoomUser,
  UnbanUserRequest,
  UnbanUserResponse,
} from '../protocol/generated/model.js';

export interface ParlorClientConfig {
  /** The server's control-plane URL, e.g. `http://127.0.0.1:8080`. */
  readonly endpoint: string;
  /** The region requests are signed for (the server acts in that region). */
  readonly region: string;
  /** Fixed credentials or a provider of them (as AWS SDK v3 clients take). */
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Replaces the global `fetch` (tests, proxies). */
  readonly fetch?: typeof fetch;
}

type Input<K extends ExtensionOperationName> = OperationShapes[K]['input'];
type Output<K extends ExtensionOperationName> = OperationShapes[K]['output'];

/** One method per extension operation; the class below must implement every one. */
export type ParlorOperations = {
  [K in ExtensionOperationName as Uncapitalize<K>]: (input: Input<K>) => Promise<Output<K>>;
};

export class ParlorClient implements ParlorOperations {
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #fetch: typeof fetch;

  constructor(config: ParlorClientConfig) {
    this.#url = new URL(config.endpoint);
    this.#signer = new SignatureV4({ service: 'ivschat', region: config.region, credentials: config.credentials, sha256: Sha256 });
    this.#fetch = config.fetch ?? ((input, init) => fetch(input, init));
  }

  /** A room's kept messages (`parlor:history`), newest first. */
  listMessages(input: Input<'ListMessages'>): Promise<Output<'ListMessages'>> {
    return this.send('ListMessages', input);
  }

  /** The users connected to a room now (every node), by userId, with the room's totals. */
  listRoomUsers(input: Input<'ListRoomUsers'>): Promise<Output<'ListRoomUsers'>> {
    return this.send('ListRoomUsers', input);
  }

  /** Bans a user from a room (optionally for `durationSeconds`) and ends its connections there. */
  banUser(input: Input<'BanUser'>): Promise<Output<'BanUser'>> {
    return this.send('BanUser', input);
  }

  /** Lifts a user's ban in a room; resolves also when there was none. */
  unbanUser(input: Input<'UnbanUser'>): Promise<Output<'UnbanUser'>> {
    return this.send('UnbanUser', input);
  }

  /** The bans in force in a room, by userId. */
  listBans(input: Input<'ListBans'>): Promise<Output<'ListBans'>> {
    return this.send('ListBans', input);
  }

  /**
   * Calls one extension operation. They are all `POST /<Operation>` with the input as the JSON
   * body (like the AWS chat operations); the answer is the output, or a thrown exception.
   */
  async send<K extends ExtensionOperationName>(operation: K, input: Input<K>): Promise<Output<K>> {
    const def = OPERATIONS[operation];
    const body = JSON.stringify(input ?? {});
    const basePath = this.#url.pathname.replace(/\/$/, '');
    const request: HttpRequest = {
      method: def.method,
      protocol: this.#url.protocol,
      hostname: this.#url.hostname,
      ...(this.#url.port ? { port: Number(this.#url.port) } : {}),
      path: `${basePath}${def.uri}`,
      query: {},
      headers: { host: this.#url.host, 'content-type': 'application/json' },
      body,
    };
    const signed = await this.#signer.sign(request);
    const response = await this.#fetch(`${this.#url.origin}${request.path}`, {
      method: def.method,
      headers: signed.headers,
      body,
    });
    const text = await response.text();
    let json: unknown = {};
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = { message: text };
      }
    }
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    if (!response.ok) throw errorOf(response.status, response.headers.get('x-amzn-errortype'), json, requestId);
    return json as Output<K>;
  }
}
