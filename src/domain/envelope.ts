/**
 * What nodes tell each other through the fan-out. Every envelope concerns one room; each node
 * applies it to its own local sockets of that room. Frames travel as their JSON text, exactly
 * what clients receive, so a receiving node only encodes and delivers.
 */
import type { Room } from './room.js';

export type Envelope =
  /** Deliver one MESSAGE or EVENT frame to every local connection of the room. */
  | { readonly kind: 'deliver'; readonly roomArn: string; readonly frame: string }
  /** Deliver the aws:DISCONNECT_USER frame to the room, then close every connection of `userId`. */
  | { readonly kind: 'disconnect-user'; readonly roomArn: string; readonly userId: string; readonly frame: string }
  /** The room's settings changed (UpdateRoom): apply them from the very next message. */
  | { readonly kind: 'room-updated'; readonly roomArn: string; readonly room: Room }
  /** The room is gone: deliver the ERROR 404 frame, then close every local connection. */
  | { readonly kind: 'room-deleted'; readonly roomArn: string; readonly frame: string };
