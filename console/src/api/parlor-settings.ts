/**
 * The `parlor:` room settings (INTERFACE.md "Room settings as tags"): their tag keys, labels in
 * words, and what the server accepts, for the form. The server still judges every value.
 */
export interface ParlorSetting {
  readonly tag: string;
  readonly label: string;
  readonly hint: string;
  readonly kind: 'number' | 'boolean';
}

export const PARLOR_SETTINGS: readonly ParlorSetting[] = [
  { tag: 'parlor:history', label: 'Messages kept (history)', hint: 'How many of the most recent messages Parlor keeps, 0–1000; 0 keeps none.', kind: 'number' },
  { tag: 'parlor:replay', label: 'Messages replayed on connect', hint: 'How many kept messages a new connection receives first, 0–100.', kind: 'number' },
  { tag: 'parlor:slow-mode', label: 'Slow mode (seconds between messages)', hint: 'A user may send one message per this many seconds, 0–3600; 0 is off.', kind: 'number' },
  { tag: 'parlor:presence-events', label: 'Presence events', hint: 'Clients receive parlor:user-joined and parlor:user-left events.', kind: 'boolean' },
];

export const isParlorTag = (key: string): boolean => key.startsWith('parlor:');
