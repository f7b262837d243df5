/**
 * Presence in one process. Each MemoryPresence is one node; nodes built on the same
 * PresenceBoard see each other (embedded mode has one node and one board; tests use two).
 */
import { LocalPresence, mergeEntries } from './local-presence.js';
import { DEPARTURE_MEMORY_MS, type Arrival, type Presence, type RoomPresence } from './presence.js';

/** What the nodes of one process share: their entries and the pending departures. */
export class PresenceBoard {
  readonly nodes = new Set<LocalPresence>();
  /** `${roomArn}\n${userId}` → epoch ms when the pending departure lapses. */
  readonly departures = new Map<string, number>();
}

const departureKey = (roomArn: string, userId: string): string => `${roomArn}\n${userId}`;

/** Lapsed departures are swept at most this often (ms). */
const SWEEP_EVERY_MS = 10_000;

export class MemoryPresence implements Presence {
  readonly #local = new LocalPresence();
  #sweptAt = 0;

  constructor(
    private readonly board = new PresenceBoard(),
    private readonly now: () => number = Date.now,
  ) {
    board.nodes.add(this.#local);
  }

  #elsewhere(roomArn: string, userId: string): boolean {
    for (const node of this.board.nodes) if (node !== this.#local && node.rooms.get(roomArn)?.has(userId)) return true;
    return false;
  }

  /** Removes the pending departure; true when one stood. */
  #takeDeparture(roomArn: string, userId: string): boolean {
    const key = departureKey(roomArn, userId);
    const lapses = this.board.departures.get(key);
    if (lapses === undefined) return false;
    this.board.departures.delete(key);
    return lapses > this.now();
  }

  async arrive(roomArn: string, userId: string, attributes: Readonly<Record<string, string>>, at: number): Promise<Arrival> {
    const entry = this.#local.add(roomArn, userId, attributes, at);
    if (entry.connections > 1 || this.#elsewhere(roomArn, userId)) return 'more';
    return this.#takeDeparture(roomArn, userId) ? 'returned' : 'first';
  }

  async depart(roomArn: string, userId: string): Promise<boolean> {
    if (this.#local.remove(roomArn, userId) || this.#elsewhere(roomArn, userId)) return false;
    this.#sweep();
    this.board.departures.set(departureKey(roomArn, userId), this.now() + DEPARTURE_MEMORY_MS);
    return true;
  }

  async confirmDeparture(roomArn: string, userId: string): Promise<boolean> {
    return this.#takeDeparture(roomArn, userId);
  }

  async list(roomArn: string): Promise<RoomPresence> {
    return mergeEntries([...this.board.nodes].map((node) => node.rooms.get(roomArn) ?? []));
  }

  localAudienceSizes(): IterableIterator<number> {
    return this.#local.audienceSizes();
  }

  async close(): Promise<void> {
    this.board.nodes.delete(this.#local);
    this.#local.rooms.clear();
  }

  /** Drops lapsed departures (they would otherwise pile up for users who never return). */
  #sweep(): void {
    const now = this.now();
    if (now - this.#sweptAt < SWEEP_EVERY_MS) return;
    this.#sweptAt = now;
    for (const [key, lapses] of this.board.departures) if (lapses <= now) this.board.departures.delete(key);
  }
}
