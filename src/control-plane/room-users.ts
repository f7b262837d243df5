/**
 * ListRoomUsers (extension): who is connected to a room now, from the presence port. Exact on
 * one node; in cluster mode each node's entries are written to Redis as its connections open
 * and close (one round trip), and a crashed node's entries stop counting once they lapse
 * (PRESENCE_TTL_MS, 6 s). Users are ordered by userId; a page token is the last userId returned,
 * so users joining or leaving between pages do not shift later pages.
 */
import type { ListRoomUsersRequest, ListRoomUsersResponse, RoomUser } from '../protocol/generated/model.js';
import type { PresentUser } from '../domain/presence.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { iso } from './format.js';
import { getOwnRoom } from './rooms.js';
import { decodeUserToken, userPage } from './user-pages.js';

const DEFAULT_USER_PAGE = 50;

const userOutput = (u: PresentUser): RoomUser => ({
  userId: u.userId,
  attributes: { ...u.attributes },
  connections: u.connections,
  connectTime: iso(u.connectTime),
});

export async function listRoomUsers(deps: ControlPlaneDeps, ctx: OperationContext, input: ListRoomUsersRequest): Promise<ListRoomUsersResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  const limit = input.maxResults ?? DEFAULT_USER_PAGE;
  const after = decodeUserToken(input.nextToken);
  const present = await deps.chat.roomUsers(room);
  const rest = after === undefined ? present.users : present.users.filter((u) => u.userId > after);
  const { items, nextToken } = userPage(rest.slice(0, limit + 1), limit);
  return {
    users: items.map(userOutput),
    totalUsers: present.totalUsers,
    totalConnections: present.totalConnections,
    ...(nextToken ? { nextToken } : {}),
  };
}
