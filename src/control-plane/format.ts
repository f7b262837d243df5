/**
 * Stored records → operation outputs: ISO-8601 timestamps (the `Time` shape is iso8601 on the
 * wire; numbers break the JS SDK) and effective values filled in.
 */
import type { LoggingConfiguration } from '../domain/logging-configuration.js';
import type { Room } from '../domain/room.js';
import type { GetLoggingConfigurationResponse, GetRoomResponse, LoggingConfigurationSummary, RoomSummary } from '../protocol/generated/model.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

export function roomSummary(room: Room): RoomSummary {
  return {
    arn: room.arn,
    id: room.id,
    name: room.name,
    ...(room.messageReviewHandler ? { messageReviewHandler: { ...room.messageReviewHandler } } : {}),
    createTime: iso(room.createTime),
    updateTime: iso(room.updateTime),
    tags: { ...room.tags },
    loggingConfigurationIdentifiers: [...room.loggingConfigurationIdentifiers],
  };
}

export function roomOutput(room: Room): GetRoomResponse {
  return {
    ...roomSummary(room),
    maximumMessageRatePerSecond: room.maximumMessageRatePerSecond,
    maximumMessageLength: room.maximumMessageLength,
  };
}

export function loggingConfigurationOutput(c: LoggingConfiguration): GetLoggingConfigurationResponse & LoggingConfigurationSummary {
  return {
    arn: c.arn,
    id: c.id,
    createTime: iso(c.createTime),
    updateTime: iso(c.updateTime),
    name: c.name,
    destinationConfiguration: c.destinationConfiguration,
    state: c.state,
    tags: { ...c.tags },
  };
}
