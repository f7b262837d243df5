/**
 * Replay (`parlor:replay` = R): a new connection receives the room's last R kept messages,
 * oldest first, as `MESSAGE` frames with their original Id, SendTime and sender plus a
 * top-level `"Historical": true`, then `EVENT parlor:replay-end`, and only then live frames.
 *
 * No message is both replayed and delivered live, and none falls between: the session joins
 * the room's live stream first with its frames held back (session.held), history is read after
 * that, and held frames whose Id was replayed are dropped. A message is queued for keeping
 * before it is published (send-message.ts), so a message the session did not receive live was
 * queued before the read began, and the read sees it (reads apply queued writes first).
 */
import { newId } from '../domain/ids.js';
import type { KeptEntry } from '../history/message-history.js';
import { eventFrame } from '../protocol/chat-frames.js';
import type { ChatDeps } from './chat-deps.js';
import type { ChatSession } from './chat-session.js';

export const REPLAY_END_EVENT = 'parlor:replay-end';

/** A kept MESSAGE frame as replayed: the same JSON with `"Historical": true` in front. */
export function historicalFrame(frame: string): string {
  return `{"Historical":true,${frame.slice(1)}`;
}

/** The `Id` of a frame's JSON text (every frame Parlor sends has one). */
function idOf(json: string): string | undefined {
  const id = (JSON.parse(json) as { Id?: unknown }).Id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Starts holding the session's live frames; call before the session joins its room's sessions.
 * Then `replay` sends the replay and releases what was held.
 */
export function holdLiveFrames(session: ChatSession): void {
  session.held = [];
}

export async function replay(deps: Pick<ChatDeps, 'history' | 'encode' | 'now' | 'log'>, session: ChatSession, count: number): Promise<void> {
  const room = session.local.room.arn;
  let entries: KeptEntry[] = [];
  try {
    entries = await deps.history.newest(room, count);
  } catch (err) {
    // Live chat matters more than the backlog: the client gets replay-end and the live stream.
    deps.log.error({ err, room }, 'could not read room history for a replay');
  }
  const held = session.held ?? [];
  session.held = undefined;
  if (session.closed) return;
  const replayed = new Set<string>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    replayed.add(entry.id);
    session.connection.send(deps.encode(historicalFrame(entry.frame)));
  }
  session.connection.send(deps.encode(eventFrame(newId(), '', REPLAY_END_EVENT, {}, deps.now())));
  for (const frame of held) {
    if (replayed.size === 0 || !replayed.has(idOf(frame.json) ?? '')) session.connection.send(frame.wire);
  }
}
