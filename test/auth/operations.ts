/**
 * One valid call of every model operation through @aws-sdk/client-ivschat, found by name
 * (`<Operation>Command`), so tests can walk the model's operation list instead of a hand list.
 * Extension operations go through Parlor's own client with the SDK client's settings.
 */
import * as sdk from '@aws-sdk/client-ivschat';
import type { IvschatClient } from '@aws-sdk/client-ivschat';
import { ParlorClient } from '../../src/client/index.js';
import { EXTENSION_OPERATIONS, OPERATIONS, type ExtensionOperationName, type OperationName } from '../../src/protocol/generated/model.js';

/** Resources the calls act on, made beforehand by an admin. */
export interface Fixture {
  readonly room: string;
  /** A second room of the same account and region. */
  readonly otherRoom: string;
  readonly log: string;
  /** A new room / logging configuration each call, for deletes. */
  freshRoom(): Promise<string>;
  freshLog(): Promise<string>;
}

export type InputMakers = { readonly [K in OperationName]: (f: Fixture) => Promise<Record<string, unknown>> };

export const VALID_INPUTS: InputMakers = {
  BanUser: async (f) => ({ roomIdentifier: f.room, userId: 'banned-user', reason: 'matrix', durationSeconds: 60 }),
  CreateChatToken: async (f) => ({ roomIdentifier: f.room, userId: 'user-1' }),
  CreateLoggingConfiguration: async () => ({ name: 'made', destinationConfiguration: { cloudWatchLogs: { logGroupName: 'group' } } }),
  CreateRoom: async () => ({ name: 'made' }),
  DeleteLoggingConfiguration: async (f) => ({ identifier: await f.freshLog() }),
  DeleteMessage: async (f) => ({ roomIdentifier: f.room, id: 'ABCDEFGH1234' }),
  DeleteRoom: async (f) => ({ identifier: await f.freshRoom() }),
  DisconnectUser: async (f) => ({ roomIdentifier: f.room, userId: 'user-1' }),
  GetLoggingConfiguration: async (f) => ({ identifier: f.log }),
  GetRoom: async (f) => ({ identifier: f.room }),
  ListLoggingConfigurations: async () => ({}),
  ListBans: async (f) => ({ roomIdentifier: f.room }),
  ListMessages: async (f) => ({ roomIdentifier: f.room }),
  ListRoomUsers: async (f) => ({ roomIdentifier: f.room }),
  ListRooms: async () => ({}),
  ListTagsForResource: async (f) => ({ resourceArn: f.room }),
  SendEvent: async (f) => ({ roomIdentifier: f.room, eventName: 'event' }),
  TagResource: async (f) => ({ resourceArn: f.room, tags: { made: 'yes' } }),
  UnbanUser: async (f) => ({ roomIdentifier: f.room, userId: 'banned-user' }),
  UntagResource: async (f) => ({ resourceArn: f.room, tagKeys: ['made', 'other'] }),
  UpdateLoggingConfiguration: async (f) => ({ identifier: f.log, name: 'changed' }),
  UpdateRoom: async (f) => ({ identifier: f.room, name: 'changed' }),
};

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

type AnyCommand = Parameters<IvschatClient['send']>[0];
type CommandClass = new (input: Record<string, unknown>) => AnyCommand;

/** Sends `operation` with `input`; resolves to 'ok' or the error's name (never throws for AWS errors). */
export async function outcome(client: IvschatClient, operation: OperationName, input: Record<string, unknown>): Promise<string> {
  const Command = (sdk as unknown as Record<string, CommandClass | undefined>)[`${operation}Command`];
  const extension = (EXTENSION_OPERATIONS as readonly string[]).includes(operation);
  if (!Command && !extension) throw new Error(`the SDK has no ${operation}Command`);
  try {
    if (Command) await client.send(new Command(input));
    else await (await parlorClientLike(client)).send(operation as ExtensionOperationName, input as never);
    return 'ok';
  } catch (err) {
    const e = err as { name?: string; $metadata?: unknown };
    if (!e.$metadata || !e.name) throw err;
    return e.name;
  }
}

/** A ParlorClient with the endpoint, region and credentials of an SDK client. */
async function parlorClientLike(client: IvschatClient): Promise<ParlorClient> {
  const endpoint = await client.config.endpoint?.();
  if (!endpoint) throw new Error('the SDK client has no fixed endpoint');
  const port = endpoint.port ? `:${endpoint.port}` : '';
  return new ParlorClient({
    endpoint: `${endpoint.protocol}//${endpoint.hostname}${port}`,
    region: await client.config.region(),
    credentials: await client.config.credentials(),
  });
}

/**
 * A fixture whose resources an admin client creates in its own account and region; `existing`
 * reuses resources made earlier (before a restart with another auth file).
 */
export async function makeFixture(admin: IvschatClient, existing?: Pick<Fixture, 'room' | 'otherRoom' | 'log'>): Promise<Fixture> {
  const freshRoom = async () => (await admin.send(new sdk.CreateRoomCommand({ name: 'fixture' }))).arn!;
  const freshLog = async () =>
    (await admin.send(new sdk.CreateLoggingConfigurationCommand({ name: 'fixture', destinationConfiguration: { s3: { bucketName: 'bucket' } } }))).arn!;
  const made = existing ?? { room: await freshRoom(), otherRoom: await freshRoom(), log: await freshLog() };
  return { ...made, freshRoom, freshLog };
}

/** Everything an admin can read of the fixture's account and region, to compare before and after. */
export async function snapshot(admin: IvschatClient, f: Fixture): Promise<unknown> {
  const rooms = await admin.send(new sdk.ListRoomsCommand({ maxResults: 50 }));
  const logs = await admin.send(new sdk.ListLoggingConfigurationsCommand({ maxResults: 50 }));
  const tags = await Promise.all([f.room, f.otherRoom, f.log].map((resourceArn) => admin.send(new sdk.ListTagsForResourceCommand({ resourceArn }))));
  const { $metadata: _a, ...room } = await admin.send(new sdk.GetRoomCommand({ identifier: f.room }));
  const { $metadata: _b, ...log } = await admin.send(new sdk.GetLoggingConfigurationCommand({ identifier: f.log }));
  return { rooms: rooms.rooms, logs: logs.loggingConfigurations, tags: tags.map((t) => t.tags), room, log };
}
