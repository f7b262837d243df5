/** SendEvent, DeleteMessage, DisconnectUser: server-side messaging, broadcast to the room. */
import type { FieldProblem } from '../domain/errors.js';
import type {
  DeleteMessageRequest,
  DeleteMessageResponse,
  DisconnectUserRequest,
  DisconnectUserResponse,
  SendEventRequest,
  SendEventResponse,
} from '../protocol/generated/model.js';
import { attributesProblems } from './chat-tokens.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { getOwnRoom } from './rooms.js';

/**
 * `aws:` names are the service's own events; the official client routes two of them to
 * dedicated listeners, so an app must not be able to forge them.
 */
const RESERVED_PREFIX = 'aws:';

/** SendEvent's rules beyond the model (a handler `check`): no reserved name, attributes ≤ 1 KB. */
export function sendEventProblems(input: Readonly<Record<string, unknown>>): FieldProblem[] {
  const name = input['eventName'];
  const reserved: FieldProblem[] =
    typeof name === 'string' && name.toLowerCase().startsWith(RESERVED_PREFIX)
      ? [{ name: 'eventName', message: `names starting with "${RESERVED_PREFIX}" are reserved` }]
      : [];
  return [...reserved, ...attributesProblems(input)];
}

export async function sendEvent(deps: ControlPlaneDeps, ctx: OperationContext, input: SendEventRequest): Promise<SendEventResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  return { id: await deps.chat.sendEvent(room, input.eventName, { ...input.attributes }) };
}

export async function deleteMessage(deps: ControlPlaneDeps, ctx: OperationContext, input: DeleteMessageRequest): Promise<DeleteMessageResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  return { id: await deps.chat.deleteMessage(room, input.id, input.reason) };
}

/** Answers `{}` also when the user has no live connection (nothing to close). */
export async function disconnectUser(deps: ControlPlaneDeps, ctx: OperationContext, input: DisconnectUserRequest): Promise<DisconnectUserResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  await deps.chat.disconnectUser(room, input.userId, input.reason);
  return {};
}
