/**
 * CreateChatToken. The token may open one connection until `tokenExpirationTime`; the
 * session it opens ends at `sessionExpirationTime`. Both are the same instant: the official
 * client rotates its connection at `tokenExpirationTime − 60 s`, so a token that stays valid
 * for the whole session means one seamless rotation just before the session ends and no
 * churn before (docs/chat.md).
 */
import { randomBytes } from 'node:crypto';
import { attributesBytes, DEFAULT_SESSION_MINUTES, MAX_ATTRIBUTES_BYTES, type ChatTokenClaims } from '../domain/chat-token.js';
import { ValidationException } from '../domain/errors.js';
import type { CreateChatTokenRequest, CreateChatTokenResponse } from '../protocol/generated/model.js';
import type { ControlPlaneDeps, OperationContext } from './context.js';
import { iso } from './format.js';
import { getOwnRoom } from './rooms.js';

/** Refuses an attribute map over 1 KB (keys + values, UTF-8 bytes). */
export function checkAttributes(attributes: Readonly<Record<string, string>> | undefined): void {
  if (attributes && attributesBytes(attributes) > MAX_ATTRIBUTES_BYTES) {
    throw ValidationException.fields([{ name: 'attributes', message: `total size must be at most ${MAX_ATTRIBUTES_BYTES} bytes (keys and values, UTF-8)` }]);
  }
}

export async function createChatToken(deps: ControlPlaneDeps, ctx: OperationContext, input: CreateChatTokenRequest): Promise<CreateChatTokenResponse> {
  checkAttributes(input.attributes);
  const room = await getOwnRoom(deps, ctx, input.roomIdentifier);
  const now = deps.now();
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
