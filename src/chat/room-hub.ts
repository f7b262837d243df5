/**
 * The rooms of this node: for each room with a local connection, its current settings and its
 * sessions. It applies envelopes from the fan-out: a frame is encoded once and the same bytes
 * are queued on every connection of the room.
 */
import type { Envelope } from '../domain/envelope.js';
import { parlorSettings, type ParlorSettings } from '../domain/parlor-settings.js';
import type { Room } from '../domain/room.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { ErrorLog } from './chat-deps.js';
import type { ChatSession } from './chat-session.js';
import { CLOSE, type FrameEncoder, type WireFrame } from './connection.js';

export interface LocalRoom {
  /** The room's settings as last stored; replaced on UpdateRoom (read at every message). */
  room: Room;
  /** The `parlor:` settings of `room`'s tags (replaced with it, see setRoom). */
  settings: ParlorSettings;
  readonly sessions: Set<ChatSession>;
  /** Admissions that hold the room (joined, session not open yet). */
  reserved: number;
  /** The fan-out join of the room, shared by every admission that waits for it. */
  readonly joined: Promise<void>;
}

/** An admission's hold on its room: opened into a session, or released. */
export interface Reservation {
  readonly local: LocalRoom;
  settled: boolean;
}

export class RoomHub {
  readonly #rooms = new Map<string, LocalRoom>();

  /** The caller opens `fanOut` with a handler that passes envelopes to `apply`. */
  constructor(
    private readonly fanOut: FanOut,
    private readonly encode: FrameEncoder,
    private readonly log: ErrorLog,
  ) {}

  /**
   * Holds the local room of `room` for one admission (created, and joined on the fan-out, by
   * the first); resolves once the join is live, so the new session misses nothing published
   * after it opens. The hold ends with `open` or `release`.
   */
  async reserve(room: Room): Promise<Reservation> {
    let local = this.#rooms.get(room.arn);
    if (!local) {
      local = { room, settings: parlorSettings(room.tags), sessions: new Set<ChatSession>(), reserved: 0, joined: this.fanOut.join(room.arn) };
      this.#rooms.set(room.arn, local);
    } else if (room.updateTime > local.room.updateTime) {
      setRoom(local, room);
    }
    local.reserved++;
    const reservation: Reservation = { local, settled: false };
    try {
      await local.joined;
    } catch (err) {
      this.release(reservation);
      throw err;
    }
    return reservation;
  }

  /** Turns a reservation into `session`'s membership of the room. */
  open(reservation: Reservation, session: ChatSession): void {
    if (!reservation.settled) {
      reservation.settled = true;
      reservation.local.reserved--;
    }
    reservation.local.sessions.add(session);
  }

  /** Ends a reservation that opened no session (admission refused, socket gone). Idempotent. */
  release(reservation: Reservation): void {
    if (reservation.settled) return;
    reservation.settled = true;
    reservation.local.reserved--;
    this.#forgetIfEmpty(reservation.local);
  }

  /** Forgets `session`; the room goes when its last session (and reservation) does. */
  leave(session: ChatSession): void {
    session.local.sessions.delete(session);
    this.#forgetIfEmpty(session.local);
  }

  #forgetIfEmpty(local: LocalRoom): void {
    if (local.sessions.size > 0 || local.reserved > 0 || this.#rooms.get(local.room.arn) !== local) return;
    this.#rooms.delete(local.room.arn);
    this.#leaveFanOut(local.room.arn);
  }

  #leaveFanOut(roomArn: string): void {
    this.fanOut.leave(roomArn).catch((err: unknown) => this.log.error({ err, room: roomArn }, 'could not leave a room on the fan-out'));
  }

  /** Rooms with a connection (open or being admitted) on this node. */
  get roomCount(): number {
    return this.#rooms.size;
  }

  /** The rooms held now, as last stored (for a resync after a bus outage). */
  rooms(): Room[] {
    return [...this.#rooms.values()].map((local) => local.room);
  }

  /** Every local session (for shutdown and sweeps). */
  *sessions(): IterableIterator<ChatSession> {
    for (const local of this.#rooms.values()) yield* local.sessions;
  }

  apply(envelope: Envelope): void {
    if (!('roomArn' in envelope)) return;
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
        this.#leaveFanOut(envelope.roomArn);
        return;
      case 'bans-changed':
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
