/**
 * The operation map: every operation of the model → the function that performs it and the
 * resource ARNs it acts on (for authorisation). It is a mapped type over the model's
 * operation names, so the compiler refuses a model operation without a handler.
 */
import type { FieldProblem } from '../domain/errors.js';
import type { OperationName, OperationShapes } from '../protocol/generated/model.js';
import { attributesProblems, createChatToken } from './chat-tokens.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import {
  createLoggingConfiguration,
  deleteLoggingConfiguration,
  getLoggingConfiguration,
  listLoggingConfigurations,
  updateLoggingConfiguration,
} from './logging-configurations.js';
import { listMessages } from './messages.js';
import { banUser, listBans, unbanUser } from './moderation.js';
import { listRoomUsers } from './room-users.js';
import { pageTokenProblems, seqTokenProblems } from './pagination.js';
import { deleteMessage, disconnectUser, sendEvent, sendEventProblems } from './room-actions.js';
import { createRoom, deleteRoom, getRoom, listRooms, updateRoom } from './rooms.js';
import { userTokenProblems } from './user-pages.js';
import { listTagsForResource, roomTagProblems, tagResource, untagResource } from './tags.js';
import { parlorTagProblems } from '../domain/parlor-settings.js';

export interface OperationHandler<K extends OperationName> {
  run(deps: ControlPlaneDeps, ctx: OperationContext, input: OperationShapes[K]['input']): Promise<OperationShapes[K]['output']>;
  /**
   * The ARNs an IAM policy must allow the action on; `*` for creates and lists, as IAM does for
   * IVS Chat. Inputs are already validated.
   */
  resources(input: OperationShapes[K]['input']): readonly string[];
  /**
   * Checks the model cannot express, run on the raw input beside the model's validation so that
   * every bad member lands in one ValidationException. Must tolerate wrongly typed members.
   */
  check?(input: Readonly<Record<string, unknown>>): readonly FieldProblem[];
}

export type OperationHandlers = { readonly [K in OperationName]: OperationHandler<K> };

const ANY = ['*'] as const;

/** The chat operations (AWS and extension); their resource is the room. */
type ChatOperation =
  | 'CreateChatToken'
  | 'SendEvent'
  | 'DeleteMessage'
  | 'DisconnectUser'
  | 'ListMessages'
  | 'ListRoomUsers'
  | 'BanUser'
  | 'UnbanUser'
  | 'ListBans';

export const CONTROL_PLANE_HANDLERS: Omit<OperationHandlers, ChatOperation> = {
  CreateRoom: { run: createRoom, resources: (i) => ['*', ...(i.loggingConfigurationIdentifiers ?? [])], check: (i) => parlorTagProblems(i['tags']) },
  GetRoom: { run: getRoom, resources: (i) => [i.identifier] },
  UpdateRoom: { run: updateRoom, resources: (i) => [i.identifier, ...(i.loggingConfigurationIdentifiers ?? [])] },
  DeleteRoom: { run: deleteRoom, resources: (i) => [i.identifier] },
  ListRooms: { run: listRooms, resources: () => ANY, check: pageTokenProblems },
  CreateLoggingConfiguration: { run: createLoggingConfiguration, resources: () => ANY },
  GetLoggingConfiguration: { run: getLoggingConfiguration, resources: (i) => [i.identifier] },
  UpdateLoggingConfiguration: { run: updateLoggingConfiguration, resources: (i) => [i.identifier] },
  DeleteLoggingConfiguration: { run: deleteLoggingConfiguration, resources: (i) => [i.identifier] },
  ListLoggingConfigurations: { run: listLoggingConfigurations, resources: () => ANY, check: pageTokenProblems },
  TagResource: { run: tagResource, resources: (i) => [i.resourceArn], check: roomTagProblems },
  UntagResource: { run: untagResource, resources: (i) => [i.resourceArn] },
  ListTagsForResource: { run: listTagsForResource, resources: (i) => [i.resourceArn] },
};

export const CHAT_HANDLERS: Pick<OperationHandlers, ChatOperation> = {
  CreateChatToken: { run: createChatToken, resources: (i) => [i.roomIdentifier], check: attributesProblems },
  SendEvent: { run: sendEvent, resources: (i) => [i.roomIdentifier], check: sendEventProblems },
  DeleteMessage: { run: deleteMessage, resources: (i) => [i.roomIdentifier] },
  DisconnectUser: { run: disconnectUser, resources: (i) => [i.roomIdentifier] },
  ListMessages: { run: listMessages, resources: (i) => [i.roomIdentifier], check: seqTokenProblems },
  ListRoomUsers: { run: listRoomUsers, resources: (i) => [i.roomIdentifier], check: userTokenProblems },
  BanUser: { run: banUser, resources: (i) => [i.roomIdentifier] },
  UnbanUser: { run: unbanUser, resources: (i) => [i.roomIdentifier] },
  ListBans: { run: listBans, resources: (i) => [i.roomIdentifier], check: userTokenProblems },
};
