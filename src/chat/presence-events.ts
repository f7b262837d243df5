/**
 * Presence of this node's sessions: each open session counts in the presence port, and, in
 * rooms with `parlor:presence-events` = `true`, the room hears `EVENT parlor:user-joined` when a
 * user's first connection (on any node) opens and `parlor:user-left` when the last one closes.
 *
 * Grace window: a departure is announced only `graceMs` after the last connection closed, and
 * only if the user did not come back meanwhile (the port settles which of the two happened, on
 * every node), so a reconnect within the window makes no left/joined pair. A token rotation
 * opens the new connection before the old closes: the user never departs, nothing is sent.
 *
 * Coalescing (docs/adr/0050-presence-event-coalescing.md): each node announces at most
 * EVENTS_PER_SECOND joins and leaves per room per second (a token bucket, bursts of as many);
 * the ones over it are counted instead, and one `EVENT parlor:presence-summary` with
 * `joined` and `left` (the counts, as strings) goes out a second after the first one held back.
 */
import { newId } from '../domain/ids.js';
import type { Room } from '../domain/room.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { Presence } from '../presence/presence.js';
import { eventFrame } from '../protocol/chat-frames.js';
import { takeToken, type TokenBucket } from '../rate-limit/token-bucket.js';
import type { ErrorLog } from './chat-deps.js';
import type { ChatSession } from './chat-session.js';

/** How long a user's departure waits for a return before it is announced (ms). */
export const PRESENCE_GRACE_MS = 5000;
/** Announcements of joins and leaves per room per node per second, before coalescing. */
export const EVENTS_PER_SECOND = 10;
/** A summary follows the first held-back announcement after this long (ms). */
const SUMMARY_DELAY_MS = 1000;

export const USER_JOINED = 'parlor:user-joined';
export const USER_LEFT = 'parlor:user-left';
export const PRESENCE_SUMMARY = 'parlor:presence-summary';

/** Whether the room announces joins and leaves. */
export const presenceEventsOn = (room: Room): boolean => room.tags['parlor:presence-events'] === 'true';

interface RoomAnnouncements extends TokenBucket {
  heldJoined: number;
  heldLeft: number;
  summary: NodeJS.Timeout | undefined;
}

export interface PresenceEventsOptions {
  readonly presence: Presence;
  readonly fanOut: Pick<FanOut, 'publish'>;
  readonly now: () => number;
  readonly log: ErrorLog;
  readonly graceMs?: number;
}

export class PresenceEvents {
  readonly #rooms = new Map<string, RoomAnnouncements>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #graceMs: number;
  #stopped = false;
  /** Announcements sent and held back since start (metrics). */
  sent = 0;
  coalesced = 0;

  constructor(private readonly options: PresenceEventsOptions) {
    this.#graceMs = options.graceMs ?? PRESENCE_GRACE_MS;
  }

  /** A session opened: count it; announce the user if it is new to the room. */
  opened(session: ChatSession): void {
    const { room } = session.local;
    this.options.presence
      .arrive(room.arn, session.userId, session.claims.attributes, this.options.now())
      .then((arrival) => {
        if (arrival === 'first' && presenceEventsOn(session.local.room)) this.#announce(session.local.room, USER_JOINED, session.userId);
      })
      .catch((err: unknown) => this.options.log.error({ err, room: room.arn }, 'presence: could not count a connection'));
  }

  /** A session closed: count it out; a last departure is announced after the grace window unless the user returns. */
  closed(session: ChatSession): void {
    const room = session.local.room;
    this.options.presence
      .depart(room.arn, session.userId)
      .then((last) => {
        if (!last || this.#stopped) return;
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.options.presence
            .confirmDeparture(room.arn, session.userId)
            .then((gone) => {
              if (gone && presenceEventsOn(session.local.room)) this.#announce(session.local.room, USER_LEFT, session.userId);
            })
            .catch((err: unknown) => this.options.log.error({ err, room: room.arn }, 'presence: could not confirm a departure'));
        }, this.#graceMs);
        timer.unref();
        this.#timers.add(timer);
      })
      .catch((err: unknown) => this.options.log.error({ err, room: room.arn }, 'presence: could not count a disconnection'));
  }

  #announce(room: Room, eventName: string, userId: string): void {
    const now = this.options.now();
    let state = this.#rooms.get(room.arn);
    if (!state) this.#rooms.set(room.arn, (state = { tokens: EVENTS_PER_SECOND, at: now, heldJoined: 0, heldLeft: 0, summary: undefined }));
    if (takeToken(state, EVENTS_PER_SECOND, now)) {
      this.sent++;
      this.#publish(room, eventName, { userId });
      return;
    }
    this.coalesced++;
    if (eventName === USER_JOINED) state.heldJoined++;
    else state.heldLeft++;
    if (state.summary || this.#stopped) return;
    const held = state;
    held.summary = setTimeout(() => {
      this.#timers.delete(held.summary!);
      held.summary = undefined;
      this.sent++;
      this.#publish(room, PRESENCE_SUMMARY, { joined: String(held.heldJoined), left: String(held.heldLeft) });
      held.heldJoined = 0;
      held.heldLeft = 0;
    }, SUMMARY_DELAY_MS);
    held.summary.unref();
    this.#timers.add(held.summary);
  }

  #publish(room: Room, eventName: string, attributes: Record<string, string>): void {
    const frame = eventFrame(newId(), '', eventName, attributes, this.options.now());
    this.options.fanOut
      .publish({ kind: 'deliver', roomArn: room.arn, frame })
      .catch((err: unknown) => this.options.log.error({ err, room: room.arn }, 'presence: could not publish an event'));
  }

  /** Forgets rooms whose budget is full again and that hold nothing back. Call about once a second. */
  sweep(): void {
    const now = this.options.now();
    for (const [arn, state] of this.#rooms) {
      if (!state.summary && now - state.at >= 1000) this.#rooms.delete(arn);
    }
  }

  /** Drops pending announcements (shutdown). */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#rooms.clear();
  }
}
