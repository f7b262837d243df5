/**
 * The presence port: who is connected to each room, counted per node and answered across every
 * node. Each node reports only its own connections (`arrive`, `depart`); `list` merges what all
 * live nodes reported. Implementations: memory-presence.ts (one process; nodes sharing one
 * PresenceBoard) and redis-presence.ts (clusters: one hash per room and node, kept alive by
 * its node, so a crashed node's entries expire by themselves).
 *
 * Departures and returns: when a user's last connection to a room closes (on every node), a
 * departure is pending until `confirmDeparture` (called by whoever wants to announce it) or
 * until the user arrives again, whichever comes first; exactly one of the two wins. So a
 * reconnect within the caller's grace window is a return, not a leave and a join.
 */

import type { RoomPresence } from '../domain/presence.js';

export type { PresentUser, RoomPresence } from '../domain/presence.js';

/**
 * What an arrival was: `first` — the user had no connection to the room anywhere and no
 * pending departure; `returned` — none, but a pending departure (cancelled now); `more` — the
 * user already had a connection.
 */
export type Arrival = 'first' | 'returned' | 'more';

export interface Presence {
  /** One more connection of `userId` to the room on this node; `at` epoch ms. */
  arrive(roomArn: string, userId: string, attributes: Readonly<Record<string, string>>, at: number): Promise<Arrival>;
  /**
   * One connection fewer on this node. Resolves true when it was the user's last connection to
   * the room on every node: a departure is then pending.
   */
  depart(roomArn: string, userId: string): Promise<boolean>;
  /** True once, when the user's pending departure still stands (the user has not returned). */
  confirmDeparture(roomArn: string, userId: string): Promise<boolean>;
  /** The users connected to the room now, on every live node. */
  list(roomArn: string): Promise<RoomPresence>;
  /** Number of distinct users of each room this node has connections in (for metrics). */
  localAudienceSizes(): IterableIterator<number>;
  /** Withdraws this node's entries and stops; later calls may reject. */
  close(): Promise<void>;
}

/** How long a pending departure stands unconfirmed before it lapses (ms). */
export const DEPARTURE_MEMORY_MS = 60_000;
