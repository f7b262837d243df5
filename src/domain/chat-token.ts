/**
 * What a chat token grants: one user in one room, with capabilities and attributes, until the
 * session ends. Tokens are minted by CreateChatToken and redeemed once by the WebSocket
 * gateway; the wire form (signed, sub-protocol safe) lives in protocol/chat-token-codec.ts.
 */

export const CAPABILITIES = ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** sessionDurationInMinutes when CreateChatToken does not give one. */
export const DEFAULT_SESSION_MINUTES = 60;

export interface ChatTokenClaims {
  /** Random id: the token can be redeemed once. */
  readonly tokenId: string;
  readonly roomArn: string;
  readonly userId: string;
  readonly capabilities: readonly Capability[];
  readonly attributes: Readonly<Record<string, string>>;
  /** Epoch ms after which the token no longer opens a connection. */
  readonly tokenExpiresAt: number;
  /** Epoch ms at which a connection opened with the token ends. */
  readonly sessionExpiresAt: number;
}

export function isCapability(value: unknown): value is Capability {
  return typeof value === 'string' && (CAPABILITIES as readonly string[]).includes(value);
}
