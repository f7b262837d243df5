/**
 * The chat core of one node: admits connections (token → room), keeps sessions in the room
 * hub, runs client actions through the pipeline, ends sessions at their expiry, and serves
 * the control plane's chat operations and live room changes. Transport-free: the gateway
 * passes it text and a ChatConnection.
 */
import { isChange, NO_OBSERVER, tellObserver, type ChangeObserver } from '../domain/change-observer.js';
import type { ChangeEnvelope, Envelope } from '../domain/envelope.js';
import type { ChatPlane } from '../domain/chat-plane.js';
import type { ChatTokenClaims } from '../domain/chat-token.js';
import { newId } from '../domain/ids.js';
import { parlorSettings } from '../domain/parlor-settings.js';
import type { Room } from '../domain/room.js';
import type { ChatTokenCodec } from '../protocol/chat-token-codec.js';
import { deleteMessageEvent, disconnectUserEvent, errorFrame, eventFrame } from '../protocol/chat-frames.js';
import { ActionPipeline } from './action-pipeline.js';
import type { ChatDeps } from './chat-deps.js';
import type { MessageCounts } from './chat-counts.js';
import { ChatSession } from './chat-session.js';
import { CLOSE, type ChatConnection } from './connection.js';
import { ExpiryWheel } from './expiry-wheel.js';
import { endSession, RoomHub, type Reservation } from './room-hub.js';
import { holdLiveFrames, replay } from './replay.js';
import { PresenceEvents } from './presence-events.js';
import type { Presence, RoomPresence } from '../presence/presence.js';
import type { Store } from '../store/store.js';

export type Admission =
  /** Admitted: the room is joined and held for this connection until `open` or `release`. */
  | { readonly kind: 'ok'; readonly claims: ChatTokenClaims; readonly room: Room; readonly reservation: Reservation }
  /** Refuse the upgrade with this HTTP status. */
  | { readonly kind: 'refused'; readonly status: 401 | 403 | 404; readonly message: string }
  /** The caller no longer wanted it (its client went away) before the token was redeemed. */
  | { readonly kind: 'abandoned' };

export interface ChatServiceOptions extends ChatDeps {
  readonly tokens: ChatTokenCodec;
  /** Reads a room as stored (undefined when it does not exist). */
  readonly getRoom: (arn: string) => Promise<Room | undefined>;
  /**
   * Where used token ids are kept (the store: durable, so a token used before a restart stays
   * used, and atomic, so nodes sharing the store agree on the one connection a token opens).
   */
  readonly usedTokens: Pick<Store, 'redeemChatToken' | 'forgetExpiredChatTokens'>;
  /** Least time between two sweeps of expired used-token ids, in ms (default: every tick). */
  readonly usedTokenSweepMs?: number;
  /** Where bans are kept (the store); read at every connect, swept with the used token ids. */
  readonly bans: Pick<Store, 'getBan' | 'forgetExpiredBans'>;
  /** Who is in each room, on every node. */
  readonly presence: Presence;
  /** See PRESENCE_GRACE_MS. */
  readonly presenceGraceMs?: number;
  /**
   * This node's other parts that act on control-plane changes (the chat-log pipeline): told of
   * every change made on any node of the cluster, this one's included, when its envelope
   * arrives here.
   */
  readonly observers?: ChangeObserver;
}

export class ChatService implements ChatPlane {
  readonly hub: RoomHub;
  readonly #pipeline: ActionPipeline;
  readonly presenceEvents: PresenceEvents;
  readonly #expiries = new ExpiryWheel<ChatSession>();
  #ticker: NodeJS.Timeout | undefined;
  /** The store sweep in flight, if any (ticks do not stack sweeps on a slow store). */
  #sweeping: Promise<void> | undefined;
  /** options.now() of the last sweep started. */
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ChatServiceOptions) {
    this.hub = new RoomHub(options.fanOut, options.encode, options.log);
    options.fanOut.open(
      (envelope) => this.#apply(envelope),
      () => void this.#resync(),
    );
    this.#pipeline = new ActionPipeline(options);
    this.presenceEvents = new PresenceEvents({
      presence: options.presence,
      fanOut: options.fanOut,
      now: options.now,
      log: options.log,
      ...(options.presenceGraceMs !== undefined ? { graceMs: options.presenceGraceMs } : {}),
    });
  }

  /**
   * Checks a token offered at connect time: signed by us, not expired, room still there, user
   * not banned from it, not used before. Joins the room on the fan-out (resolving once that is
   * live, so the session misses nothing), then redeems the token (single use) only when
   * everything else passed and `stillWanted` (asked just before redeeming) says the connection
   * is still there to use it. An admitted connection must end with `open` or `release`.
   */
  async admit(token: string, stillWanted: () => boolean = () => true): Promise<Admission> {
    const claims = this.options.tokens.decode(token);
    if (!claims) return { kind: 'refused', status: 401, message: 'Invalid chat token' };
    const now = this.options.now();
    if (now >= claims.tokenExpiresAt || now >= claims.sessionExpiresAt) return { kind: 'refused', status: 401, message: 'The chat token has expired' };
    const room = await this.options.getRoom(claims.roomArn);
    if (!room) return { kind: 'refused', status: 404, message: 'The room does not exist' };
    if (await this.options.bans.getBan(room.arn, claims.userId, now)) return { kind: 'refused', status: 403, message: 'The user is banned from this room' };
    const reservation = await this.hub.reserve(room);
    try {
      if (!stillWanted()) {
        this.hub.release(reservation);
        return { kind: 'abandoned' };
      }
      if (!(await this.options.usedTokens.redeemChatToken(claims.tokenId, claims.tokenExpiresAt))) {
        this.hub.release(reservation);
        return { kind: 'refused', status: 401, message: 'The chat token was already used' };
      }
    } catch (err) {
      this.hub.release(reservation);
      throw err;
    }
    return { kind: 'ok', claims, room, reservation };
  }

  /** Ends an admission whose connection never opened. Idempotent; a no-op after `open`. */
  release(admission: Admission & { kind: 'ok' }): void {
    this.hub.release(admission.reservation);
  }

  /** Starts the session of an admitted, now open connection. */
  open(admission: Admission & { kind: 'ok' }, connection: ChatConnection): ChatSession {
    const local = admission.reservation.local;
    const session = new ChatSession(admission.claims, connection, local, this.options.now());
    const replayCount = local.settings.replay;
    if (replayCount > 0) holdLiveFrames(session);
    this.hub.open(admission.reservation, session);
    if (replayCount > 0) void replay(this.options, session, replayCount);
    this.#expiries.add(session, admission.claims.sessionExpiresAt);
    this.presenceEvents.opened(session);
    void this.#confirmRoom(session);
    return session;
  }

  /** One envelope from the fan-out (made here or on another node): the room hub, then the observers. */
  #apply(envelope: Envelope): void {
    this.hub.apply(envelope);
    if (isChange(envelope)) tellObserver(this.options.observers ?? NO_OBSERVER, envelope);
  }

  /**
   * After a fan-out outage: changes announced meanwhile were lost, so every room held here is
   * read again from the store and applied as its change would have been.
   */
  async #resync(): Promise<void> {
    for (const room of this.hub.rooms()) {
      try {
        const stored = await this.options.getRoom(room.arn);
        this.hub.apply(stored ? { kind: 'room-updated', roomArn: room.arn, room: stored } : this.#roomDeleted(room));
      } catch (err) {
        this.options.log.error({ err, room: room.arn }, 'could not re-read a room after a fan-out outage');
      }
    }
  }

  #roomDeleted(room: Room): ChangeEnvelope {
    return { kind: 'room-deleted', roomArn: room.arn, room, frame: errorFrame(newId(), '', 404, 'The room was deleted') };
  }

  /**
   * A change (UpdateRoom, DeleteRoom, BanUser) stored between admission and joining the room's
   * fan-out would go unseen; the store reads after joining catch them (the store changes before
   * the fan-out is told).
   */
  async #confirmRoom(session: ChatSession): Promise<void> {
    try {
      const room = await this.options.getRoom(session.local.room.arn);
      if (room && room.updateTime > session.local.room.updateTime) this.hub.apply({ kind: 'room-updated', roomArn: room.arn, room });
      const ban = room && (await this.options.bans.getBan(room.arn, session.userId, this.options.now()));
      if (ban && !session.closed) {
        const frame = disconnectUserEvent(newId(), '', session.userId, ban.reason, this.options.now());
        session.connection.send(this.options.encode(frame));
        endSession(session, CLOSE.disconnected, 'Banned from the room');
      }
      if (room) return;
    } catch (err) {
      this.options.log.error({ err, room: session.local.room.arn }, 'could not confirm the room of a new chat session');
      return;
    }
    if (session.closed) return;
    session.connection.send(this.options.encode(errorFrame(newId(), '', 404, 'The room was deleted')));
    endSession(session, CLOSE.roomDeleted, 'Room deleted');
  }

  /** Connections closed 1008 for sending over their budget too long (since start). */
  get policyCloses(): number {
    return this.#pipeline.policyCloses;
  }

  /** SEND_MESSAGE actions accepted by this node, by outcome (since start; see chat-counts.ts). */
  get messages(): Readonly<MessageCounts> {
    return this.#pipeline.messages;
  }

  /** Frames past their connection's request budget, not handled (since start). */
  get framesOverBudget(): number {
    return this.#pipeline.framesOverBudget;
  }

  /** One text frame from the session's client. */
  receive(session: ChatSession, text: string): void {
    this.#pipeline.receive(session, text);
  }

  /** The connection is gone (closed either way). */
  closed(session: ChatSession): void {
    session.closed = true;
    this.#expiries.remove(session, session.claims.sessionExpiresAt);
    this.hub.leave(session);
    this.presenceEvents.closed(session);
  }

  /**
   * Ends sessions whose time is up (ERROR 401, then a clean close: the official client fetches
   * a new token and reconnects) and has the store forget expired token ids. Call about once a
   * second.
   */
  tick(): void {
    const now = this.options.now();
    for (const session of this.#expiries.due(now)) {
      if (session.closed) continue;
      session.connection.send(this.options.encode(errorFrame(newId(), '', 401, 'The chat session has expired')));
      endSession(session, CLOSE.sessionExpired, 'Session expired');
    }
    this.presenceEvents.sweep();
    if (this.#sweeping === undefined && now - this.#lastSweep >= (this.options.usedTokenSweepMs ?? 0)) {
      this.#lastSweep = now;
      this.#sweeping = this.#sweep(now);
    }
  }

  async #sweep(now: number): Promise<void> {
    try {
      await this.options.usedTokens.forgetExpiredChatTokens(now);
      await this.options.bans.forgetExpiredBans(now);
    } catch (err) {
      this.options.log.error({ err }, 'could not forget expired chat token ids and bans');
    } finally {
      this.#sweeping = undefined;
    }
  }

  /** Runs `tick` every `intervalMs` until `stop`. */
  start(intervalMs = 1000): void {
    this.#ticker ??= setInterval(() => this.tick(), intervalMs);
    this.#ticker.unref();
  }

  /** Stops ticking; resolves once a sweep in flight is done (the store may be closed then). */
  async stop(): Promise<void> {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.presenceEvents.stop();
    await this.#sweeping;
  }

  /**
   * Ends `session` so that the official client reconnects by itself (shutdown drain): an
   * ERROR 401 makes it fetch a new token and open a new connection at once (to another node
   * behind a load balancer); the close that follows (1012, service restart) is for other
   * clients. Queued frames go first.
   */
  sendAway(session: ChatSession): void {
    if (session.closed) return;
    session.connection.send(this.options.encode(errorFrame(newId(), '', 401, 'The server is restarting; connect again')));
    endSession(session, CLOSE.serviceRestart, 'Server restarting');
  }

  mintToken(claims: ChatTokenClaims): string {
    return this.options.tokens.encode(claims);
  }

  async sendEvent(room: Room, eventName: string, attributes: Readonly<Record<string, string>>): Promise<string> {
    return this.#broadcastEvent(room, (id, now) => eventFrame(id, '', eventName, attributes, now));
  }

  async deleteMessage(room: Room, messageId: string, reason: string | undefined): Promise<string> {
    const id = await this.#broadcastEvent(room, (id, now) => deleteMessageEvent(id, '', messageId, reason, now));
    if (parlorSettings(room.tags).history > 0) this.options.history.remove(room.arn, messageId);
    return id;
  }

  /** Delivers an API-originated EVENT to the room and logs it; resolves to its Id. */
  async #broadcastEvent(room: Room, build: (id: string, now: number) => string): Promise<string> {
    const id = newId();
    const now = this.options.now();
    const frame = build(id, now);
    await this.options.fanOut.publish({ kind: 'deliver', roomArn: room.arn, frame });
    this.options.chatLog.record(room, 'EVENT', frame, now);
    return id;
  }

  async disconnectUser(room: Room, userId: string, reason: string | undefined): Promise<void> {
    const now = this.options.now();
    const frame = disconnectUserEvent(newId(), '', userId, reason, now);
    await this.options.fanOut.publish({ kind: 'disconnect-user', roomArn: room.arn, userId, frame });
    this.options.chatLog.record(room, 'EVENT', frame, now);
  }

  roomUsers(room: Room): Promise<RoomPresence> {
    return this.options.presence.list(room.arn);
  }

  /**
   * The control plane's changes, each sent to every node as a change envelope (this node
   * applies it at once, inside the publish): the room hubs and the `observers` of every node
   * act on it. History is shared by the nodes, so the node that made the change trims or
   * forgets it.
   */
  readonly changes: ChangeObserver = {
    roomUpdated: (room) => {
      this.options.history.trim(room.arn, parlorSettings(room.tags).history);
      this.#broadcast({ kind: 'room-updated', roomArn: room.arn, room });
    },
    roomDeleted: (room) => {
      this.options.history.forget(room.arn);
      this.#broadcast(this.#roomDeleted(room));
    },
    loggingConfigurationUpdated: (configuration) => this.#broadcast({ kind: 'logging-configuration-updated', configuration }),
    loggingConfigurationDeleted: (configuration) => this.#broadcast({ kind: 'logging-configuration-deleted', configuration }),
  };

  #broadcast(envelope: ChangeEnvelope): void {
    this.options.fanOut.publishToAllNodes(envelope).catch((err: unknown) => this.options.log.error({ err, kind: envelope.kind }, 'fan-out publish failed'));
  }
}
