/**
 * BanUser, UnbanUser, ListBans (extensions): bans kept in the store, so they hold on every node
 * (each node reads them at connect and at token minting), survive restarts and go with the room.
 */
import type { Ban } from '../domain/ban.js';
import type {
  BanSummary,
  BanUserRequest,
  BanUserResponse,
  ListBansRequest,
  ListBansResponse,
  UnbanUserRequest,
  UnbanUserResponse,
} from '../protocol/generated/model.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { iso } from './format.js';
import { notFound } from './resolve.js';
import { getOwnRoom } from './rooms.js';
import { decodeUserToken, userPage } from './user-pages.js';

const DEFAULT_BAN_PAGE = 50;

function banOutput(ban: Ban): BanSummary {
  return {
    userId: ban.userId,
    reason: ban.reason ?? '',
    createTime: iso(ban.createTime),
    ...(ban.expireTime !== undefined ? { expireTime: iso(ban.expireTime) } : {}),
  };
}

/**
 * Stores the ban first, then ends the user's connections: a connection opening meanwhile reads
 * the ban when it confirms its room (chat-service), so none slips through between the two.
 */
export async function banUser(deps: ControlPlaneDeps, ctx: OperationContext, input: BanUserRequest): Promise<BanUserResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  const now = deps.now();
  const reason = input.reason === undefined || input.reason === '' ? undefined : input.reason;
  const ban: Ban = {
    roomArn: room.arn,
    userId: input.userId,
    reason,
    createTime: now,
    expireTime: input.durationSeconds === undefined ? undefined : now + input.durationSeconds * 1000,
  };
  if (!(await deps.store.putBan(ban))) throw notFound(room.arn, 'room');
  await deps.chat.disconnectUser(room, input.userId, reason);
  return {};
}

export async function unbanUser(deps: ControlPlaneDeps, ctx: OperationContext, input: UnbanUserRequest): Promise<UnbanUserResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  await deps.store.deleteBan(room.arn, input.userId);
  return {};
}

export async function listBans(deps: ControlPlaneDeps, ctx: OperationContext, input: ListBansRequest): Promise<ListBansResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  const limit = input.maxResults ?? DEFAULT_BAN_PAGE;
  const rows = await deps.store.listBans(room.arn, deps.now(), decodeUserToken(input.nextToken), limit + 1);
  const { items, nextToken } = userPage(rows, limit);
  return { bans: items.map(banOutput), ...(nextToken ? { nextToken } : {}) };
}
