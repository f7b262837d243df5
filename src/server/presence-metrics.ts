/**
 * Presence gauges and counters, read when scraped. Never labelled by room (rooms are
 * unbounded): rooms are counted by audience-size bucket instead.
 */
import { Gauge, type Registry } from 'prom-client';
import { mirroredCounter } from '../lib/mirrored-counter.js';
import type { PresenceEvents } from '../chat/presence-events.js';
import type { Presence } from '../presence/presence.js';

/** Upper bounds (inclusive) of the audience buckets; the last bucket is open. */
const AUDIENCE_BOUNDS = [1, 9, 99, 999, 9999] as const;
const AUDIENCE_LABELS = ['1', '2-9', '10-99', '100-999', '1000-9999', '10000+'] as const;

export function audienceBucket(users: number): (typeof AUDIENCE_LABELS)[number] {
  const i = AUDIENCE_BOUNDS.findIndex((bound) => users <= bound);
  return AUDIENCE_LABELS[i === -1 ? AUDIENCE_LABELS.length - 1 : i]!;
}

export function registerPresenceMetrics(registry: Registry, presence: Presence, events: PresenceEvents): void {
  new Gauge({
    name: 'parlor_presence_rooms',
    help: 'Rooms with connections on this node, by how many distinct users this node has in them',
    labelNames: ['audience'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>(AUDIENCE_LABELS.map((l) => [l, 0]));
      for (const users of presence.localAudienceSizes()) {
        const label = audienceBucket(users);
        counts.set(label, counts.get(label)! + 1);
      }
      for (const [audience, n] of counts) this.set({ audience }, n);
    },
  });
  mirroredCounter(registry, 'parlor_presence_events_sent_total', 'parlor:user-joined, parlor:user-left and parlor:presence-summary events this node sent', () => events.sent);
  mirroredCounter(
    registry,
    'parlor_presence_events_coalesced_total',
    'Joins and leaves this node counted into a summary instead of announcing them one by one',
    () => events.coalesced,
  );
}
