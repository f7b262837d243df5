/**
 * The port through which the control plane's chat operations reach the chat data plane.
 * Implemented by the chat core; used by `control-plane/room-actions.ts` and `chat-tokens.ts`.
 */
import type { ChatTokenClaims } from './chat-token.js';
import type { RoomPresence } from './presence.js';
import type { Room } from './room.js';

/**
 * What the chat operations (CreateChatToken, SendEvent, DeleteMessage, DisconnectUser) need
 * from the chat data plane. Rooms passed in exist and belong to the caller.
 */
export interface ChatPlane {
  /** The signed, sub-protocol-safe token for `claims`. */
  mintToken(claims: ChatTokenClaims): string;
  /** Broadcasts an app EVENT to the room and logs it; resolves to the EVENT's `Id`. */
  sendEvent(room: Room, eventName: string, attributes: Readonly<Record<string, string>>): Promise<string>;
  /** Broadcasts `aws:DELETE_MESSAGE` and logs it; resolves to the EVENT's `Id`. */
  deleteMessage(room: Room, messageId: string, reason: string | undefined): Promise<string>;
  /** Broadcasts `aws:DISCONNECT_USER`, then closes that user's connections; logs the EVENT. */
  disconnectUser(room: Room, userId: string, reason: string | undefined): Promise<void>;
  /** The users connected to the room now, on every node (ListRoomUsers). */
  roomUsers(room: Room): Promise<RoomPresence>;
}
