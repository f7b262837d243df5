/**
 * The row shapes both SQL stores share (same column names in SQLite and PostgreSQL) and their
 * mapping to domain records. JSON columns (`tags`, `destination`) are text in both engines, so
 * a record reads back byte for byte as it was written.
 */
import type { Ban } from '../domain/ban.js';
import type { Destination, LoggingConfiguration, LoggingConfigurationState } from '../domain/logging-configuration.js';
import type { FallbackResult, Room } from '../domain/room.js';

export interface RoomRow {
  arn: string;
  account_id: string;
  region: string;
  id: string;
  name: string;
  create_time: number;
  update_time: number;
  max_rate: number;
  max_length: number;
  review_uri: string | null;
  review_fallback: string | null;
  tags: string;
}

export interface LoggingRow {
  arn: string;
  account_id: string;
  region: string;
  id: string;
  name: string;
  create_time: number;
  update_time: number;
  destination: string;
  state: string;
  tags: string;
}

/** A room row plus its logging-configuration ARNs in list order. */
export function toRoom(row: RoomRow, logging: readonly string[]): Room {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    id: row.id,
    name: row.name,
    createTime: row.create_time,
    updateTime: row.update_time,
    maximumMessageRatePerSecond: row.max_rate,
    maximumMessageLength: row.max_length,
    messageReviewHandler:
      row.review_uri === null ? undefined : { uri: row.review_uri, fallbackResult: (row.review_fallback ?? 'ALLOW') as FallbackResult },
    tags: JSON.parse(row.tags) as Record<string, string>,
    loggingConfigurationIdentifiers: [...logging],
  };
}

export function toLogging(row: LoggingRow): LoggingConfiguration {
  return {
    arn: row.arn,
    accountId: row.account_id,
    region: row.region,
    id: row.id,
    name: row.name,
    createTime: row.create_time,
    updateTime: row.update_time,
    destinationConfiguration: JSON.parse(row.destination) as Destination,
    state: row.state as LoggingConfigurationState,
    tags: JSON.parse(row.tags) as Record<string, string>,
  };
}

/** The table holding a resource's tags, by the kind in its ARN; undefined for other ARNs. */
export function tagTable(arn: string): 'rooms' | 'logging_configurations' | undefined {
  if (/:room\//.test(arn)) return 'rooms';
  if (/:logging-configuration\//.test(arn)) return 'logging_configurations';
  return undefined;
}

/** The room columns a write stores, in the order of ROOM_INSERT_COLUMNS. */
export const ROOM_INSERT_COLUMNS =
  'arn, account_id, region, id, name, create_time, update_time, max_rate, max_length, review_uri, review_fallback, tags';

export function roomInsertValues(room: Room): (string | number | null)[] {
  return [
    room.arn,
    room.accountId,
    room.region,
    room.id,
    room.name,
    room.createTime,
    room.updateTime,
    room.maximumMessageRatePerSecond,
    room.maximumMessageLength,
    room.messageReviewHandler?.uri ?? null,
    room.messageReviewHandler?.fallbackResult ?? null,
    JSON.stringify(room.tags),
  ];
}

export const LOGGING_INSERT_COLUMNS = 'arn, account_id, region, id, name, create_time, update_time, destination, state, tags';

export function loggingInsertValues(config: LoggingConfiguration): (string | number)[] {
  return [
    config.arn,
    config.accountId,
    config.region,
    config.id,
    config.name,
    config.createTime,
    config.updateTime,
    JSON.stringify(config.destinationConfiguration),
    config.state,
    JSON.stringify(config.tags),
  ];
}

export interface BanRow {
  room_arn: string;
  user_id: string;
  reason: string | null;
  create_time: number;
  expire_time: number | null;
}

export function toBan(row: BanRow): Ban {
  return {
    roomArn: row.room_arn,
    userId: row.user_id,
    reason: row.reason ?? undefined,
    createTime: row.create_time,
    expireTime: row.expire_time ?? undefined,
  };
}
