/**
 * The console's own chat connection to a room: the official amazon-ivs-chat-messaging client
 * with a token the console mints (CreateChatToken, capabilities SEND_MESSAGE, DELETE_MESSAGE
 * and DISCONNECT_USER, under the signed-in key's policy). Everything the room says arrives here
 * as entries of the chat pane, newest last, and counts toward the messages-per-second chart.
 */
import { CreateChatTokenCommand } from '@aws-sdk/client-ivschat';
import { ChatRoom, DeleteMessageRequest, DisconnectUserRequest, SendMessageRequest, type ConnectionState } from 'amazon-ivs-chat-messaging';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, type ShownError } from './errors';
import type { Session } from './session';
import { SecondBuckets } from '../ui/rate-chart';

export type Entry =
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly time: Date;
      readonly userId: string;
      readonly content: string;
      readonly attributes: Readonly<Record<string, string>> | undefined;
      readonly deleted?: string;
      readonly historical?: boolean;
    }
  | { readonly kind: 'event'; readonly id: string; readonly time: Date; readonly name: string; readonly attributes: Readonly<Record<string, string>> | undefined }
  | { readonly kind: 'notice'; readonly id: string; readonly time: Date; readonly text: string };

/** Entries kept in the pane; older ones scroll away. */
const MAX_ENTRIES = 500;

export interface LiveChat {
  readonly state: ConnectionState;
  readonly userId: string;
  readonly entries: readonly Entry[];
  /** Messages per second seen by this connection, last 60 s. */
  readonly rate: [number[], number[]];
  /** Why the last connection attempt or action failed. */
  readonly error: ShownError | undefined;
  send(content: string): Promise<void>;
  deleteMessage(id: string, reason: string): Promise<void>;
  disconnectUser(userId: string, reason: string): Promise<void>;
  reconnect(): void;
}

let notices = 0;
const notice = (text: string): Entry => ({ kind: 'notice', id: `n${++notices}`, time: new Date(), text });

export function useLiveChat(session: Session, roomArn: string): LiveChat {
  const [state, setState] = useState<ConnectionState>('disconnected');
  const [entries, setEntries] = useState<Entry[]>([]);
  const [error, setError] = useState<ShownError | undefined>();
  const [rate, setRate] = useState<[number[], number[]]>(() => new SecondBuckets().series());
  const buckets = useRef(new SecondBuckets());
  const room = useRef<ChatRoom | undefined>(undefined);
  // One identity per page load, so the console never disconnects a real user by sharing a name.
  const [userId] = useState(() => `console-${Math.random().toString(36).slice(2, 8)}`);

  useEffect(() => {
    const push = (e: Entry): void => setEntries((list) => [...list, e].slice(-MAX_ENTRIES));
    const chat = new ChatRoom({
      regionOrUrl: session.chatUrl,
      tokenProvider: async () => {
        try {
          const t = await session.ivs.send(
            new CreateChatTokenCommand({ roomIdentifier: roomArn, userId, capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'], attributes: { console: 'true' } }),
          );
          return { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
        } catch (err) {
          setError(describeError(err));
          throw err;
        }
      },
    });
    chat.logLevel = 'error';
    room.current = chat;
    const offs = [
      chat.addListener('connecting', () => setState('connecting')),
      chat.addListener('connect', () => {
        setState('connected');
        setError(undefined);
        push(notice(`Connected as ${userId}`));
      }),
      chat.addListener('disconnect', (reason) => {
        setState('disconnected');
        push(notice(reason === 'clientDisconnect' ? 'Disconnected' : `Disconnected (${reason})`));
      }),
      chat.addListener('message', (m) => {
        const historical = (m as { historical?: boolean }).historical === true;
        if (!historical) buckets.current.add();
        push({ kind: 'message', id: m.id, time: m.sendTime, userId: m.sender.userId, content: m.content, attributes: m.attributes, historical });
      }),
      chat.addListener('event', (e) => push({ kind: 'event', id: e.id, time: e.sendTime, name: e.eventName, attributes: e.attributes })),
      chat.addListener('messageDelete', (d) => {
        setEntries((list) => [
          ...list.map((e) => (e.kind === 'message' && e.id === d.messageId ? { ...e, deleted: d.reason ?? 'deleted' } : e)),
          notice(`A message was deleted${d.reason ? `: ${d.reason}` : ''}`),
        ]);
      }),
      chat.addListener('userDisconnect', (d) => push(notice(`${d.userId} was disconnected${d.reason ? `: ${d.reason}` : ''}`))),
    ];
    chat.connect();
    const tick = setInterval(() => setRate(buckets.current.series()), 1000);
    return () => {
      clearInterval(tick);
      for (const off of offs) off();
      chat.disconnect();
      room.current = undefined;
    };
  }, [session, roomArn, userId]);

  const act = async (f: (chat: ChatRoom) => Promise<unknown>): Promise<void> => {
    const chat = room.current;
    if (!chat || chat.state !== 'connected') throw new Error('The chat connection is not open; reconnect first');
    await f(chat);
  };
  return {
    state,
    userId,
    entries,
    rate,
    error,
    send: (content) => act((c) => c.sendMessage(new SendMessageRequest(content))),
    deleteMessage: (id, reason) => act((c) => c.deleteMessage(new DeleteMessageRequest(id, reason || undefined))),
    disconnectUser: (target, reason) => act((c) => c.disconnectUser(new DisconnectUserRequest(target, reason || undefined))),
    reconnect: () => room.current?.connect(),
  };
}
