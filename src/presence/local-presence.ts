/**
 * This node's own presence entries: per room, per user, the number of open connections, the
 * earliest connect time and the latest token attributes. Both presence implementations keep
 * their node's truth here (the Redis one mirrors it into Redis).
 */
import type { PresentUser } from './presence.js';

export interface LocalEntry {
  attributes: Readonly<Record<string, string>>;
  connections: number;
  connectTime: number;
}

export class LocalPresence {
  readonly rooms = new Map<string, Map<string, LocalEntry>>();

  /** Counts one connection in; returns the entry after the change. */
  add(roomArn: string, userId: string, attributes: Readonly<Record<string, string>>, at: number): LocalEntry {
    let users = this.rooms.get(roomArn);
    if (!users) this.rooms.set(roomArn, (users = new Map()));
    const entry = users.get(userId);
    if (!entry) {
      const fresh = { attributes, connections: 1, connectTime: at };
      users.set(userId, fresh);
      return fresh;
    }
    entry.connections++;
    entry.attributes = attributes;
    entry.connectTime = Math.min(entry.connectTime, at);
    return entry;
  }

  /** Counts one connection out; returns the entry left, undefined when the user has none here. */
  remove(roomArn: string, userId: string): LocalEntry | undefined {
    const users = this.rooms.get(roomArn);
    const entry = users?.get(userId);
    if (!users || !entry) return undefined;
    if (--entry.connections > 0) return entry;
    users.delete(userId);
    if (users.size === 0) this.rooms.delete(roomArn);
    return undefined;
  }

  *audienceSizes(): IterableIterator<number> {
    for (const users of this.rooms.values()) yield users.size;
  }
}

/** Merges per-node entries of one room into the port's answer (users ordered by userId). */
export function mergeEntries(perNode: Iterable<Iterable<readonly [string, LocalEntry]>>): {
  users: PresentUser[];
  totalUsers: number;
  totalConnections: number;
} {
  const merged = new Map<string, { userId: string; attributes: Readonly<Record<string, string>>; connections: number; connectTime: number }>();
  let totalConnections = 0;
  for (const entries of perNode) {
    for (const [userId, e] of entries) {
      totalConnections += e.connections;
      const seen = merged.get(userId);
      if (!seen) {
        merged.set(userId, { userId, attributes: e.attributes, connections: e.connections, connectTime: e.connectTime });
        continue;
      }
      seen.connections += e.connections;
      seen.connectTime = Math.min(seen.connectTime, e.connectTime);
    }
  }
  const users = [...merged.values()].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return { users, totalUsers: users.length, totalConnections };
}
