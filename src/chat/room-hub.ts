/**
 * The rooms of this node: for each room with a local connection, its current settings and its
 * sessions. It applies envelopes from the fan-out: a frame is encoded once and the same bytes
 * are queued on every connection of the room.
 */
import type { Envelope } from '../domain/envelope.js';
import { parlorSettings, type ParlorSettings } from '../domain/parlor-settings.js';
import type { Room } from '../domain/room.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { ChatSession } from './chat-session.js';
import { CLOSE, type FrameEncoder, type WireFrame } from './connection.js';

export interface LocalRoom {
  /** The room's settings as last stored; replaced on UpdateRoom (read at every message). */
  room: Room;
  /** The `parlor:` settings of `room`'s tags (replaced with it, see setRoom). */
  settings: ParlorSettings;
  readonly sessions: Set<ChatSession>;
}

export class RoomHub {
  readonly #rooms = new Map<string, LocalRoom>();

  constructor(
    private readonly fanOut: FanOut,
    private readonly encode: FrameEncoder,
  ) {
    fanOut.open((envelope) => this.apply(envelope));
  }

  /** The local room of `room` (created, and joined on the fan-out, with its first session). */
  enter(room: Room): LocalRoom {
    let local = this.#rooms.get(room.arn);
    if (!local) {
      local = { room, settings: parlorSettings(room.tags), sessions: new Set<ChatSession>() };
      this.#rooms.set(room.arn, local);
      this.fanOut.join(room.arn);
    } else if (room.updateTime > local.room.updateTime) {
      setRoom(local, room);
    }
    return local;
  }

  /** Forgets `session`; the room goes when its last session does. */
  leave(session: ChatSession): void {
    const local = session.local;
    local.sessions.delete(session);
    if (local.sessions.size === 0 && this.#rooms.get(local.room.arn) === local) {
      this.#rooms.delete(local.room.arn);
      this.fanOut.leave(local.room.arn);
    }
  }

  /** Every local session (for shutdown and sweeps). */
  *sessions(): IterableIterator<ChatSession> {
    for (const local of this.#rooms.values()) yield* local.sessions;
  }

  apply(envelope: Envelope): void {
    const local = this.#rooms.get(envelope.roomArn);
    if (!local) return;
    switch (envelope.kind) {
      case 'deliver':
        sendToAll(local, this.encode(envelope.frame), envelope.frame);
        return;
      case 'disconnect-user': {
        sendToAll(local, this.encode(envelope.frame), envelope.frame);
        for (const session of [...local.sessions]) {
          if (session.userId === envelope.userId) endSession(session, CLOSE.disconnected, 'Disconnected by a moderator');
        }
        return;
      }
      case 'room-updated':
        if (envelope.room.updateTime >= local.room.updateTime) setRoom(local, envelope.room);
        return;
      case 'room-deleted':
        sendToAll(local, this.encode(envelope.frame), envelope.frame);
        for (const session of [...local.sessions]) endSession(session, CLOSE.roomDeleted, 'Room deleted');
        this.#rooms.delete(envelope.roomArn);
        this.fanOut.leave(envelope.roomArn);
        return;
    }
  }
}

/** Replaces the local room's settings (its limits and its `parlor:` settings) with `room`'s. */
function setRoom(local: LocalRoom, room: Room): void {
  local.room = room;
  local.settings = parlorSettings(room.tags);
}

/** Queues `frame` (the same bytes) on every connection of the room; holds it for a session in replay. */
function sendToAll(local: LocalRoom, frame: WireFrame, json: string): void {
  for (const session of local.sessions) {
    if (session.held) session.held.push({ wire: frame, json });
    else session.connection.send(frame);
  }
}

/** Closes a session's connection cleanly once (its queued frames go first). */
export function endSession(session: ChatSession, code: number, reason: string): void {
  if (session.closed) return;
  session.closed = true;
  session.connection.close(code, reason);
}
