/**
 * The path of a client action on the node that accepted it. On arrival (synchronously):
 * per-connection budget (every frame, valid or not, spends one token; over it → 429, itself
 * rate-bounded, and a connection that keeps going is closed 1008) → parse → capability (403)
 * → validation against the room's current limits (400/413). Accepted actions of one connection then run one at a time, in
 * arrival order: room rate (429) → review → publish through the fan-out → chat log. A slow
 * review holds back only its own connection.
 */
import { newId } from '../domain/ids.js';
import type { ParlorSettings } from '../domain/parlor-settings.js';
import type { Room } from '../domain/room.js';
import {
  deleteMessageEvent,
  disconnectUserEvent,
  errorFrame,
  FrameError,
  messageFrame,
  parseAction,
  type ChatErrorCode,
  type ClientAction,
} from '../protocol/chat-frames.js';
import { codePointLength } from '../protocol/validate.js';
import { takeToken } from '../rate-limit/token-bucket.js';
import type { ChatDeps } from './chat-deps.js';
import { refusedOutcome, zeroMessageCounts, type MessageCounts } from './chat-counts.js';
import { endSession } from './room-hub.js';
import {
  CONNECTION_RATE_PER_SECOND,
  MAX_PENDING_ACTIONS,
  OVER_BUDGET_CLOSE_MS,
  OVER_BUDGET_MAX_FRAMES,
  OVER_BUDGET_STREAK_GAP_MS,
  type ChatSession,
  type PendingAction,
} from './chat-session.js';
import { CLOSE } from './connection.js';

/** The rate-limiter slot of one user's messages in a room under `parlor:slow-mode`. */
export const slowModeKey = (roomArn: string, userId: string): string => `slow-mode:${roomArn}:${userId}`;

/** The room's `parlor:slow-mode` in seconds (0: off); a value that is not 1–3600 counts as off. */
function slowModeSeconds(room: Room): number {
  const text = room.tags['parlor:slow-mode'];
  const n = text !== undefined && /^[0-9]{1,4}$/.test(text) ? Number(text) : 0;
  return n <= 3600 ? n : 0;
}

/** The rate-limiter key of a room's shared message budget. */
export const roomRateKey = (roomArn: string): string => `room-messages:${roomArn}`;

export class ActionPipeline {
  /** Connections closed 1008 for flooding (since start). */
  policyCloses = 0;
  /** Frames past their connection's request budget, not handled (since start). */
  framesOverBudget = 0;
  /** SEND_MESSAGE actions by outcome (since start). */
  readonly messages: MessageCounts = zeroMessageCounts();

  constructor(private readonly deps: ChatDeps) {}

  /** Handles one text frame from `session`'s client. Never throws. */
  receive(session: ChatSession, text: string): void {
    if (session.closed) return;
    const receivedAt = this.deps.now();
    if (!takeToken(session, CONNECTION_RATE_PER_SECOND, receivedAt)) {
      this.#overBudget(session, text, receivedAt);
      return;
    }
    let action: ClientAction;
    try {
      action = parseAction(text);
      this.#admit(session, action, receivedAt);
    } catch (err) {
      if (err instanceof FrameError) {
        if (err.action === 'SEND_MESSAGE') this.messages[refusedOutcome(err.code)]++;
        this.#error(session, err.requestId, err.code, err.message);
      } else this.#fail(session, '', err);
      return;
    }
    const pending = (session.pending ??= []);
    pending.push({ action, receivedAt });
    if (!session.busy) void this.#drain(session);
  }

  /** The synchronous checks; throws FrameError. */
  #admit(session: ChatSession, action: ClientAction, now: number): void {
    if (!session.claims.capabilities.includes(action.type)) {
      throw new FrameError(403, `The token does not grant ${action.type}`, action.requestId, action.type);
    }
    if (action.type === 'SEND_MESSAGE') {
      const max = session.local.room.maximumMessageLength;
      if (codePointLength(action.content) > max) {
        throw new FrameError(400, `Content exceeds the room's maximum message length of ${max} characters`, action.requestId, action.type);
      }
    }
    if ((session.pending?.length ?? 0) >= MAX_PENDING_ACTIONS) {
      throw new FrameError(429, 'Too many requests waiting on this connection', action.requestId, action.type);
    }
  }

  /**
   * A frame past the connection's budget: not handled. Answered 429 while the refusal budget
   * lasts (so the answers never outnumber the budget), and the connection is closed 1008 once
   * such frames have kept coming for OVER_BUDGET_CLOSE_MS, or sooner when a streak reaches
   * OVER_BUDGET_MAX_FRAMES (a flood).
   */
  #overBudget(session: ChatSession, text: string, now: number): void {
    if (session.overSince === undefined || now - session.overLast > OVER_BUDGET_STREAK_GAP_MS) {
      session.overSince = now;
      session.overCount = 0;
    }
    session.overLast = now;
    session.overCount++;
    this.framesOverBudget++;
    if (now - session.overSince >= OVER_BUDGET_CLOSE_MS || session.overCount >= OVER_BUDGET_MAX_FRAMES) {
      this.policyCloses++;
      endSession(session, CLOSE.policyViolation, 'Over the request rate for too long');
      return;
    }
    if (!takeToken(session.refusals, CONNECTION_RATE_PER_SECOND, now)) return;
    // Parsed only to name the request in the answer; at most the refusal budget's rate.
    let requestId = '';
    try {
      requestId = parseAction(text).requestId;
    } catch (err) {
      if (err instanceof FrameError) requestId = err.requestId;
    }
    this.#error(session, requestId, 429, `Over ${CONNECTION_RATE_PER_SECOND} requests per second on this connection`);
  }

  async #drain(session: ChatSession): Promise<void> {
    session.busy = true;
    const pending = session.pending!;
    let next: PendingAction | undefined;
    while ((next = pending.shift()) !== undefined) {
      try {
        await this.#run(session, next);
      } catch (err) {
        if (next.action.type === 'SEND_MESSAGE') this.messages.error++;
        this.#fail(session, next.action.requestId, err);
      }
    }
    session.busy = false;
    session.pending = undefined;
  }

  async #run(session: ChatSession, { action, receivedAt }: PendingAction): Promise<void> {
    const { room, settings } = session.local;
    switch (action.type) {
      case 'SEND_MESSAGE':
        return this.#sendMessage(session, room, settings, action, receivedAt);
      case 'DELETE_MESSAGE': {
        const frame = deleteMessageEvent(newId(), action.requestId, action.messageId, action.reason, receivedAt);
        await this.deps.fanOut.publish({ kind: 'deliver', roomArn: room.arn, frame });
        if (settings.history > 0) this.deps.history.remove(room.arn, action.messageId);
        this.deps.chatLog.record(room, 'EVENT', frame, receivedAt);
        return;
      }
      case 'DISCONNECT_USER': {
        const frame = disconnectUserEvent(newId(), action.requestId, action.userId, action.reason, receivedAt);
        await this.deps.fanOut.publish({ kind: 'disconnect-user', roomArn: room.arn, userId: action.userId, frame });
        this.deps.chatLog.record(room, 'EVENT', frame, receivedAt);
        return;
      }
    }
  }

  async #sendMessage(
    session: ChatSession,
    room: Room,
    settings: ParlorSettings,
    action: ClientAction & { type: 'SEND_MESSAGE' },
    receivedAt: number,
  ): Promise<void> {
    const { fanOut, rateLimiter, review, chatLog } = this.deps;
    const slowMode = slowModeSeconds(room);
    if (slowMode > 0) {
      const slot = await rateLimiter.takeSlot(slowModeKey(room.arn, session.userId), slowMode * 1000);
      if (!slot.taken) {
        const wait = Math.ceil(slot.retryAfterMs / 1000);
        const message = `Slow mode: one message every ${slowMode} seconds; you may send again in ${wait} second${wait === 1 ? '' : 's'}`;
        this.messages.slow_mode++;
        this.#error(session, action.requestId, 429, message);
        return;
      }
    }
    if (!(await rateLimiter.take(roomRateKey(room.arn), room.maximumMessageRatePerSecond))) {
      this.messages.rate_limit++;
      this.#error(session, action.requestId, 429, `Over the room's ${room.maximumMessageRatePerSecond} messages per second`);
      return;
    }
    const id = newId();
    let content = action.content;
    let attributes = action.attributes;
    if (room.messageReviewHandler && review) {
      const decision = await review.review(room.messageReviewHandler, room.maximumMessageLength, {
        Content: content,
        MessageId: id,
        RoomArn: room.arn,
        Attributes: attributes,
        Sender: { UserId: session.userId, Attributes: session.claims.attributes, Ip: session.connection.ip },
      });
      if (decision.kind === 'deny') {
        this.messages[decision.fallback === true ? 'review_fallback_deny' : 'review_deny']++;
        const why = decision.reason ? `: ${decision.reason}` : '';
        // The Id of the refused message was never delivered, so the client has not seen it.
        this.#send(session, errorFrame(id, action.requestId, 406, `Message rejected by the room's review handler${why}`));
        return;
      }
      content = decision.content;
      attributes = decision.attributes;
    }
    const frame = messageFrame({
      id,
      requestId: action.requestId,
      content,
      attributes,
      sentAt: receivedAt,
      senderUserId: session.userId,
      senderAttributes: session.claims.attributes,
    });
    // Kept as delivered (after review), once, by the node that accepted it; queued before the
    // publish so that a replay reading history after joining the room cannot miss it (replay.ts).
    const keep = settings.history > 0;
    if (keep) this.deps.history.keep(room.arn, { id, sendTime: receivedAt, frame }, settings.history);
    try {
      await fanOut.publish({ kind: 'deliver', roomArn: room.arn, frame });
    } catch (err) {
      if (keep) this.deps.history.remove(room.arn, id);
      throw err;
    }
    this.messages.delivered++;
    chatLog.record(room, 'MESSAGE', frame, receivedAt);
  }

  #error(session: ChatSession, requestId: string, code: ChatErrorCode, message: string): void {
    this.#send(session, errorFrame(newId(), requestId, code, message));
  }

  #send(session: ChatSession, json: string): void {
    if (!session.closed) session.connection.send(this.deps.encode(json));
  }

  #fail(session: ChatSession, requestId: string, err: unknown): void {
    this.deps.log.error({ err, userId: session.userId, room: session.local.room.arn }, 'chat action failed');
    this.#error(session, requestId, 500, 'Internal error');
  }
}
