/**
 * The store port: durable state of the control plane. Implementations: sqlite-store.ts
 * (embedded default) and postgres-store.ts (cluster mode, shared by every node). Every method is atomic on its own; none leaks driver types. Timestamps
 * are epoch milliseconds. Callers pass fully-formed records; the store does not invent values
 * other than the forward-only `updateTime` rule stated on each update method.
 */
import type { Scope } from '../domain/arn.js';
import type { Ban } from '../domain/ban.js';
import type { LoggingConfiguration, LoggingConfigurationPatch } from '../domain/logging-configuration.js';
import type { Room, RoomPatch } from '../domain/room.js';

/** Position in a list ordered by `updateTime` descending, then `arn` descending. */
export interface PageKey {
  readonly updateTime: number;
  readonly arn: string;
}

export interface RoomFilter {
  /** Exact room name. */
  readonly name?: string;
  /** Exact review-handler URI. */
  readonly messageReviewHandlerUri?: string;
  /** Rooms whose list contains this logging-configuration ARN. */
  readonly loggingConfigurationIdentifier?: string;
}

/** Outcome of a write that references logging configurations. */
export type RoomWrite =
  | { readonly kind: 'ok'; readonly room: Room }
  | { readonly kind: 'not-found' }
  /** Listed logging-configuration ARNs that do not exist; nothing was written. */
  | { readonly kind: 'missing-logging-configurations'; readonly arns: readonly string[] };

export type LoggingConfigurationCreate = { readonly kind: 'ok' } | { readonly kind: 'quota-exceeded'; readonly limit: number };

export type LoggingConfigurationDelete =
  | { readonly kind: 'ok' }
  | { readonly kind: 'not-found' }
  /** Rooms still list it; nothing was deleted. */
  | { readonly kind: 'in-use'; readonly roomArns: readonly string[] };

export type TagWrite =
  | { readonly kind: 'ok'; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'too-many'; readonly limit: number };

export interface Store {
  /**
   * Inserts a new room. Fails without writing when a listed logging configuration does not
   * exist (checked in the same transaction, so a concurrent delete cannot slip between).
   */
  createRoom(room: Room): Promise<RoomWrite>;
  getRoom(arn: string): Promise<Room | undefined>;
  /**
   * Applies the members present in `patch`. `updateTime` becomes max(now, previous + 1), so it
   * moves forward on every successful update even within one millisecond. Logging
   * configurations are checked as in createRoom.
   */
  updateRoom(arn: string, patch: RoomPatch, now: number): Promise<RoomWrite>;
  /** True when a room was deleted. */
  deleteRoom(arn: string): Promise<boolean>;
  /**
   * Rooms of one scope matching every filter given, newest `updateTime` first, starting after
   * `after`; returns at most `limit` rooms.
   */
  listRooms(scope: Scope, filter: RoomFilter, after: PageKey | undefined, limit: number): Promise<Room[]>;

  /** Inserts unless the scope already holds `quota` configurations (checked atomically). */
  createLoggingConfiguration(config: LoggingConfiguration, quota: number): Promise<LoggingConfigurationCreate>;
  getLoggingConfiguration(arn: string): Promise<LoggingConfiguration | undefined>;
  /** Applies the members present; `updateTime` as for updateRoom. Undefined when absent. */
  updateLoggingConfiguration(arn: string, patch: LoggingConfigurationPatch, now: number): Promise<LoggingConfiguration | undefined>;
  /** Deletes unless some room still lists it. */
  deleteLoggingConfiguration(arn: string): Promise<LoggingConfigurationDelete>;
  /** Same order and paging as listRooms. */
  listLoggingConfigurations(scope: Scope, after: PageKey | undefined, limit: number): Promise<LoggingConfiguration[]>;

  /** Tags of a room or logging configuration; undefined when no such resource. */
  getTags(arn: string): Promise<Readonly<Record<string, string>> | undefined>;
  /** Merges `tags` over the resource's tags unless the result would exceed `limit` keys. */
  tagResource(arn: string, tags: Readonly<Record<string, string>>, limit: number): Promise<TagWrite>;
  /** Removes the keys (absent keys are ignored). */
  untagResource(arn: string, keys: readonly string[]): Promise<TagWrite>;

  /**
   * Marks a chat token id as used, atomically: resolves true for the first call with an id and
   * false for every later one (also when calls race, from this process or, for a shared store,
   * from other nodes). True means the mark is durable: a restart does not forget it. The id is
   * kept at least until `expiresAt` (epoch ms, the token's `tokenExpirationTime`); after that
   * the token's own expiry refuses it, and forgetExpiredChatTokens may drop it.
   */
  redeemChatToken(tokenId: string, expiresAt: number): Promise<boolean>;
  /** Forgets used token ids whose `expiresAt` is at or before `now` (epoch ms); resolves to how many. */
  forgetExpiredChatTokens(now: number): Promise<number>;

  /**
   * The secret stored under `name`, created from `candidate` when there is none yet: the first
   * caller (of this process or, for a shared store, of any node) stores its candidate, and
   * every call resolves to the same stored bytes from then on. Durable on return.
   */
  loadOrCreateSecret(name: string, candidate: Uint8Array): Promise<Buffer>;

  /**
   * Stores `ban`, replacing the user's earlier ban in the room. Resolves false (nothing
   * written) when the room does not exist. Bans go with their room (deleteRoom).
   */
  putBan(ban: Ban): Promise<boolean>;
  /** Removes the user's ban in the room, if any. */
  deleteBan(roomArn: string, userId: string): Promise<void>;
  /** The user's ban in the room when it still holds at `now` (epoch ms). */
  getBan(roomArn: string, userId: string, now: number): Promise<Ban | undefined>;
  /** Bans of the room that hold at `now`, by userId ascending, after `afterUserId`; at most `limit`. */
  listBans(roomArn: string, now: number, afterUserId: string | undefined, limit: number): Promise<Ban[]>;
  /** Forgets bans that ended at or before `now`; resolves to how many. */
  forgetExpiredBans(now: number): Promise<number>;

  /** Releases the underlying resources; pending writes are already durable. */
  close(): Promise<void>;
}
