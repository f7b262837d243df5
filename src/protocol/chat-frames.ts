/**
 * The IVS chat WebSocket messages (SPEC §2.3–2.4). In: the client's JSON actions, keys matched
 * case-insensitively, validated into a typed union or a typed frame error. Out: MESSAGE, EVENT
 * and ERROR frames as JSON text, built once per frame and sent as the same bytes to everyone.
 */
import { attributesBytes, MAX_ATTRIBUTES_BYTES } from '../domain/attributes.js';
import { codePointLength } from './validate.js';

/** Numeric ErrorCode values of ERROR frames (SPEC §2.4). */
export type ChatErrorCode = 400 | 401 | 403 | 404 | 406 | 413 | 429 | 500;

/** Longest `Reason` of DELETE_MESSAGE / DISCONNECT_USER, in code points (as the API's). */
export const MAX_REASON_LENGTH = 256;
const MESSAGE_ID = /^[a-zA-Z0-9]{12}$/;

export type ClientAction =
  | {
      readonly type: 'SEND_MESSAGE';
      readonly requestId: string;
      readonly content: string;
      readonly attributes: Readonly<Record<string, string>>;
    }
  | { readonly type: 'DELETE_MESSAGE'; readonly requestId: string; readonly messageId: string; readonly reason: string | undefined }
  | { readonly type: 'DISCONNECT_USER'; readonly requestId: string; readonly userId: string; readonly reason: string | undefined };

export type ActionType = ClientAction['type'];

/**
 * A refused request: answered with ERROR `code` echoing `requestId` (`""` when unknown).
 * `action` is the refused action's type when the frame got far enough to name it (metrics).
 */
export class FrameError {
  constructor(
    readonly code: ChatErrorCode,
    readonly message: string,
    readonly requestId: string,
    readonly action?: ActionType,
  ) {}
}

function lowerKeys(value: object): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(value)) out.set(k.toLowerCase(), v);
  return out;
}

function stringMap(value: unknown, requestId: string, what: string, action: ActionType): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new FrameError(400, `${what} must be an object of strings`, requestId, action);
  const map = value as Record<string, unknown>;
  for (const key in map) {
    if (typeof map[key] !== 'string') throw new FrameError(400, `${what}.${key} must be a string`, requestId, action);
  }
  const attributes = map as Record<string, string>;
  if (attributesBytes(attributes) > MAX_ATTRIBUTES_BYTES) {
    throw new FrameError(413, `${what} exceed ${MAX_ATTRIBUTES_BYTES} bytes`, requestId, action);
  }
  return attributes;
}

function requiredString(fields: Map<string, unknown>, key: string, name: string, requestId: string): string {
  const value = fields.get(key);
  if (typeof value !== 'string' || value === '') throw new FrameError(400, `${name} is required and must be a non-empty string`, requestId);
  return value;
}

function optionalReason(fields: Map<string, unknown>, requestId: string): string | undefined {
  const value = fields.get('reason');
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FrameError(400, 'Reason must be a string', requestId);
  if (codePointLength(value) > MAX_REASON_LENGTH) throw new FrameError(400, `Reason exceeds ${MAX_REASON_LENGTH} characters`, requestId);
  return value;
}

/**
 * Parses one text frame. Checks what does not depend on the room (shape, types, attribute
 * size, reason length); the content length against the room's limit is the pipeline's.
 * Throws FrameError.
 */
export function parseAction(text: string): ClientAction {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FrameError(400, 'The message is not valid JSON', '');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FrameError(400, 'The message must be a JSON object', '');
  const fields = lowerKeys(json);
  const rawRequestId = fields.get('requestid');
  if (rawRequestId !== undefined && rawRequestId !== null && typeof rawRequestId !== 'string') {
    throw new FrameError(400, 'RequestId must be a string', '');
  }
  const requestId = typeof rawRequestId === 'string' ? rawRequestId : '';
  const action = fields.get('action');
  switch (typeof action === 'string' ? action.toUpperCase() : undefined) {
    case 'SEND_MESSAGE': {
      const content = fields.get('content');
      if (typeof content !== 'string' || content === '') throw new FrameError(400, 'Content is required and must be a non-empty string', requestId, 'SEND_MESSAGE');
      return { type: 'SEND_MESSAGE', requestId, content, attributes: stringMap(fields.get('attributes'), requestId, 'Attributes', 'SEND_MESSAGE') };
    }
    case 'DELETE_MESSAGE': {
      const messageId = requiredString(fields, 'id', 'Id', requestId);
      if (!MESSAGE_ID.test(messageId)) throw new FrameError(400, 'Id must be 12 characters of [a-zA-Z0-9]', requestId);
      return { type: 'DELETE_MESSAGE', requestId, messageId, reason: optionalReason(fields, requestId) };
    }
    case 'DISCONNECT_USER': {
      const userId = requiredString(fields, 'userid', 'UserId', requestId);
      if (codePointLength(userId) > 128) throw new FrameError(400, 'UserId exceeds 128 characters', requestId);
      return { type: 'DISCONNECT_USER', requestId, userId, reason: optionalReason(fields, requestId) };
    }
    default:
      throw new FrameError(400, 'Action must be one of SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER', requestId);
  }
}

/** RFC 3339 UTC with milliseconds, e.g. `2024-01-02T03:04:05.678Z`. */
export const sendTime = (ms: number): string => new Date(ms).toISOString();

export interface MessageFrame {
  readonly id: string;
  readonly requestId: string;
  readonly content: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentAt: number;
  readonly senderUserId: string;
  readonly senderAttributes: Readonly<Record<string, string>>;
}

export function messageFrame(m: MessageFrame): string {
  return JSON.stringify({
    Type: 'MESSAGE',
    Id: m.id,
    RequestId: m.requestId,
    Attributes: m.attributes,
    Content: m.content,
    SendTime: sendTime(m.sentAt),
    Sender: { UserId: m.senderUserId, Attributes: m.senderAttributes },
  });
}

export function eventFrame(id: string, requestId: string, eventName: string, attributes: Readonly<Record<string, string>>, sentAt: number): string {
  return JSON.stringify({ Type: 'EVENT', Id: id, RequestId: requestId, EventName: eventName, Attributes: attributes, SendTime: sendTime(sentAt) });
}

/** `aws:DELETE_MESSAGE`: the official client 1.1.1 reads only `MessageID`, the docs name `MessageId`; both go out. */
export function deleteMessageEvent(id: string, requestId: string, messageId: string, reason: string | undefined, sentAt: number): string {
  const attributes: Record<string, string> = { MessageId: messageId, MessageID: messageId };
  if (reason !== undefined) attributes['Reason'] = reason;
  return eventFrame(id, requestId, 'aws:DELETE_MESSAGE', attributes, sentAt);
}

export function disconnectUserEvent(id: string, requestId: string, userId: string, reason: string | undefined, sentAt: number): string {
  const attributes: Record<string, string> = { UserId: userId };
  if (reason !== undefined) attributes['Reason'] = reason;
  return eventFrame(id, requestId, 'aws:DISCONNECT_USER', attributes, sentAt);
}

/** `id` must be fresh: the official client drops frames whose Id it has already seen. */
export function errorFrame(id: string, requestId: string, code: ChatErrorCode, message: string): string {
  return JSON.stringify({ Type: 'ERROR', Id: id, RequestId: requestId, ErrorCode: code, ErrorMessage: message });
}
