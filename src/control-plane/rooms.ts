/** CreateRoom, GetRoom, UpdateRoom, DeleteRoom, ListRooms. */
import { formatArn } from '../domain/arn.js';
import { newId } from '../domain/ids.js';
import { nextReviewHandler, ROOM_DEFAULTS, type Room } from '../domain/room.js';
import type {
  CreateRoomRequest,
  CreateRoomResponse,
  DeleteRoomRequest,
  GetRoomRequest,
  GetRoomResponse,
  ListRoomsRequest,
  ListRoomsResponse,
  UpdateRoomRequest,
  UpdateRoomResponse,
} from '../protocol/generated/model.js';
import type { RoomWrite } from '../store/store.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { roomOutput, roomSummary } from './format.js';
import { DEFAULT_PAGE_SIZE, decodePageToken, pageOf } from './pagination.js';
import { notFound, ownArn } from './resolve.js';

function checkLoggingArns(ctx: OperationContext, arns: readonly string[] | undefined): void {
  for (const arn of arns ?? []) ownArn(ctx, arn, 'logging-configuration');
}

function roomOf(write: RoomWrite, arn: string): Room {
  switch (write.kind) {
    case 'ok':
      return write.room;
    case 'not-found':
      throw notFound(arn, 'room');
    case 'missing-logging-configurations':
      throw notFound(write.arns[0]!, 'logging-configuration');
  }
}

export async function getOwnRoom(deps: ControlPlaneDeps, ctx: OperationContext, arn: string): Promise<Room> {
  const room = await deps.store.getRoom(ownArn(ctx, arn, 'room'));
  if (!room) throw notFound(arn, 'room');
  return room;
}

export async function createRoom(deps: ControlPlaneDeps, ctx: OperationContext, input: CreateRoomRequest): Promise<CreateRoomResponse> {
  checkLoggingArns(ctx, input.loggingConfigurationIdentifiers);
  const id = newId();
  const now = deps.now();
  const arn = formatArn(ctx.scope, 'room', id);
  const room: Room = {
    ...ctx.scope,
    arn,
    id,
    name: input.name ?? '',
    createTime: now,
    updateTime: now,
    maximumMessageRatePerSecond: input.maximumMessageRatePerSecond ?? ROOM_DEFAULTS.maximumMessageRatePerSecond,
    maximumMessageLength: input.maximumMessageLength ?? ROOM_DEFAULTS.maximumMessageLength,
    messageReviewHandler: input.messageReviewHandler ? nextReviewHandler(undefined, input.messageReviewHandler) : undefined,
    tags: { ...input.tags },
    loggingConfigurationIdentifiers: [...(input.loggingConfigurationIdentifiers ?? [])],
  };
  return roomOutput(roomOf(await deps.store.createRoom(room), arn));
}

export async function getRoom(deps: ControlPlaneDeps, ctx: OperationContext, input: GetRoomRequest): Promise<GetRoomResponse> {
  return roomOutput(await getOwnRoom(deps, ctx, input.identifier));
}

export async function updateRoom(deps: ControlPlaneDeps, ctx: OperationContext, input: UpdateRoomRequest): Promise<UpdateRoomResponse> {
  const arn = ownArn(ctx, input.identifier, 'room');
  checkLoggingArns(ctx, input.loggingConfigurationIdentifiers);
  const write = await deps.store.updateRoom(
    arn,
    {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.maximumMessageRatePerSecond !== undefined ? { maximumMessageRatePerSecond: input.maximumMessageRatePerSecond } : {}),
      ...(input.maximumMessageLength !== undefined ? { maximumMessageLength: input.maximumMessageLength } : {}),
      ...(input.messageReviewHandler ? { messageReviewHandler: input.messageReviewHandler } : {}),
      ...(input.loggingConfigurationIdentifiers !== undefined ? { loggingConfigurationIdentifiers: input.loggingConfigurationIdentifiers } : {}),
    },
    deps.now(),
  );
  const room = roomOf(write, arn);
  deps.changes.roomUpdated(room);
  return roomOutput(room);
}

export async function deleteRoom(deps: ControlPlaneDeps, ctx: OperationContext, input: DeleteRoomRequest): Promise<void> {
  const room = await getOwnRoom(deps, ctx, input.identifier);
  if (!(await deps.store.deleteRoom(room.arn))) throw notFound(room.arn, 'room');
  deps.changes.roomDeleted(room);
}

export async function listRooms(deps: ControlPlaneDeps, ctx: OperationContext, input: ListRoomsRequest): Promise<ListRoomsResponse> {
  const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
  const after = decodePageToken(input.nextToken);
  const filterArn = input.loggingConfigurationIdentifier;
  if (filterArn !== undefined) {
    // The model lists ResourceNotFoundException for ListRooms: a filter naming a logging
    // configuration that does not exist is that case.
    ownArn(ctx, filterArn, 'logging-configuration');
    if (!(await deps.store.getLoggingConfiguration(filterArn))) throw notFound(filterArn, 'logging-configuration');
  }
  const rows = await deps.store.listRooms(
    ctx.scope,
    {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.messageReviewHandlerUri !== undefined && input.messageReviewHandlerUri !== ''
        ? { messageReviewHandlerUri: input.messageReviewHandlerUri }
        : {}),
      ...(filterArn !== undefined ? { loggingConfigurationIdentifier: filterArn } : {}),
    },
    after,
    limit + 1,
  );
  const page = pageOf(rows, limit);
  return { rooms: page.items.map(roomSummary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

