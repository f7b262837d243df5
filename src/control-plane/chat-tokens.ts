/**
 * CreateChatToken. The token may open one connection until `tokenExpirationTime`; the
 * session it opens ends at `sessionExpirationTime`. Both are the same instant: the official
 * client rotates its connection at `tokenExpirationTime − 60 s`, so a token that stays valid
 * for the whole session means one seamless rotation just before the session ends and no
 * churn before (docs/adr/0003-chat-tokens-single-use-durable.md).
 */
import { randomBytes } from 'node:crypto';
import { attributesBytes, MAX_ATTRIBUTES_BYTES } from '../domain/attributes.js';
import { DEFAULT_SESSION_MINUTES, type ChatTokenClaims } from '../domain/chat-token.js';
import { AccessDeniedException, type FieldProblem } from '../domain/errors.js';
import { isPlainObject } from '../protocol/validate.js';
import type { CreateChatTokenRequest, CreateChatTokenResponse } from '../protocol/generated/model.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { iso } from './format.js';
import { getOwnRoom } from './rooms.js';

/**
 * The 1 KB rule on an input's `attributes` (keys + values, UTF-8 bytes), which the model cannot
 * express; run by the dispatcher beside the model's validation (a handler `check`). A map with
 * non-string values is the model validator's to report.
 */
export function attributesProblems(input: Readonly<Record<string, unknown>>): FieldProblem[] {
  const attributes = input['attributes'];
  if (!isPlainObject(attributes) || !Object.values(attributes).every((v) => typeof v === 'string')) return [];
  return attributesBytes(attributes as Record<string, string>) > MAX_ATTRIBUTES_BYTES
    ? [{ name: 'attributes', message: `total size must be at most ${MAX_ATTRIBUTES_BYTES} bytes (keys and values, UTF-8)` }]
    : [];
}

export async function createChatToken(deps: ControlPlaneDeps, ctx: OperationContext, input: CreateChatTokenRequest): Promise<CreateChatTokenResponse> {
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  const now = deps.now();
  const ban = await deps.store.getBan(room.arn, input.userId, now);
  if (ban) {
    const until = ban.expireTime === undefined ? '' : ` until ${iso(ban.expireTime)}`;
    throw new AccessDeniedException(`The user is banned from room ${room.arn}${until}`);
  }
  const sessionExpiresAt = now + (input.sessionDurationInMinutes ?? DEFAULT_SESSION_MINUTES) * 60_000;
  const claims: ChatTokenClaims = {
    tokenId: randomBytes(12).toString('base64url'),
    roomArn: room.arn,
    userId: input.userId,
    capabilities: [...new Set(input.capabilities ?? [])],
    attributes: { ...input.attributes },
    tokenExpiresAt: sessionExpiresAt,
    sessionExpiresAt,
  };
  return { token: deps.chat.mintToken(claims), tokenExpirationTime: iso(sessionExpiresAt), sessionExpirationTime: iso(sessionExpiresAt) };
}
