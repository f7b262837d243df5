/**
 * A room, live: who is connected (ListRoomUsers, every few seconds), its bans (ListBans), the
 * messages per second seen by the console's own connection as a chart, and the chat pane
 * (everything the room says as it happens; send, delete, disconnect, ban).
 */
import type { GetRoomResponse } from '@aws-sdk/client-ivschat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { isUnknownOperation } from '../api/errors';
import { useLiveChat, type Entry, type LiveChat } from '../api/live-chat';
import type { Session } from '../api/session';
import { ConfirmDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { formatClock, formatCount, formatTime } from '../ui/format';
import { RateChart } from '../ui/rate-chart';
import { useAction } from '../ui/use-action';
import { useAsync } from '../ui/use-async';

/** How often the connected users and bans are read again, in ms. */
const POLL_MS = 3000;

export function RoomLive({ session, room }: { session: Session; room: GetRoomResponse }) {
  const chat = useLiveChat(session, room.arn!);
  const [banning, setBanning] = useState<string | undefined>();
  const action = useAction();
  const [poll, setPoll] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setPoll((p) => p + 1), POLL_MS);
    return () => clearInterval(t);
  }, []);

  const disconnect = (userId: string): Promise<void> => action.run(() => chat.disconnectUser(userId, 'Disconnected from the Parlor console'));
  const [latest] = chat.rate[1].slice(-2);
  const lastMinute = chat.rate[1].reduce((a, b) => a + b, 0);

  return (
    <>
      <ErrorBox error={action.error} title="That did not work" />
      <div class="live-grid">
        <div>
          <div class="card">
            <div class="page-head">
              <h2>Messages per second</h2>
              <span class="muted small">
                now {formatCount(latest)} · {formatCount(lastMinute)} in the last minute
              </span>
            </div>
            <RateChart label="Messages per second" data={chat.rate} />
            <p class="muted small">Counted from the messages this console receives in the room.</p>
          </div>
          <Users session={session} room={room} chat={chat} poll={poll} onDisconnect={disconnect} onBan={setBanning} />
          <Bans session={session} room={room} poll={poll} />
        </div>
        <ChatPane chat={chat} onDisconnect={disconnect} onBan={setBanning} />
      </div>
      {banning !== undefined ? <BanDialog session={session} room={room} userId={banning} onClose={() => setBanning(undefined)} /> : null}
    </>
  );
}

interface UserActions {
  readonly onDisconnect: (userId: string) => void;
  readonly onBan: (userId: string) => void;
}

function Users({ session, room, chat, poll, onDisconnect, onBan }: { session: Session; room: GetRoomResponse; chat: LiveChat; poll: number } & UserActions) {
  const [users] = useAsync(() => session.parlor.listRoomUsers({ roomIdentifier: room.arn!, maxResults: 100 }), [session, room.arn, poll]);
  const unavailable = users.state === 'failed' && isUnknownOperation(users.error);
  // Without ListRoomUsers, what the API offers: the senders the chat pane has seen.
  const seen = [...new Set(chat.entries.flatMap((e) => (e.kind === 'message' ? [e.userId] : [])))];
  return (
    <div class="card users">
      <div class="page-head">
        <h2>Connected users</h2>
        {users.state === 'ok' ? (
          <span class="muted small">
            {formatCount(users.value.totalUsers)} users · {formatCount(users.value.totalConnections)} connections
          </span>
        ) : null}
      </div>
      {users.state === 'loading' ? <p class="muted">Loading…</p> : null}
      {users.state === 'failed' && !unavailable ? <ErrorBox error={users.error} title="Connected users could not be listed" /> : null}
      {unavailable ? (
        <>
          <p class="muted small">This server does not offer ListRoomUsers; these are the users seen sending in the chat pane.</p>
          <UserTable rows={seen.map((userId) => ({ userId }))} self={chat.userId} onDisconnect={onDisconnect} onBan={onBan} />
        </>
      ) : null}
      {users.state === 'ok' ? (
        (users.value.users ?? []).length === 0 ? (
          <p class="muted">Nobody is connected.</p>
        ) : (
          <UserTable rows={users.value.users ?? []} self={chat.userId} onDisconnect={onDisconnect} onBan={onBan} />
        )
      ) : null}
    </div>
  );
}

interface UserRow {
  readonly userId: string;
  readonly connections?: number;
  readonly connectTime?: string | Date;
  readonly attributes?: Readonly<Record<string, string>>;
}

function UserTable({ rows, self, onDisconnect, onBan }: { rows: readonly UserRow[]; self: string } & UserActions) {
  if (rows.length === 0) return <p class="muted">No one yet.</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Connected</th>
          <th scope="col">
            <span class="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => (
          <tr key={u.userId} data-user={u.userId}>
            <td data-label="User">
              <div>
                <div class="user-id">{u.userId}</div>
                {u.userId === self ? <div class="muted small">this console</div> : null}
                {u.userId !== self && u.attributes && Object.keys(u.attributes).length > 0 ? (
                  <div class="muted small">{Object.entries(u.attributes).map(([k, v]) => `${k}=${v}`).join(', ')}</div>
                ) : null}
              </div>
            </td>
            <td data-label="Connected" class="small">
              <div>
                {u.connections !== undefined ? `${u.connections} ${u.connections === 1 ? 'connection' : 'connections'}` : '—'}
                {u.connectTime ? <div class="muted">since {formatClock(new Date(u.connectTime))}</div> : null}
              </div>
            </td>
            <td class="actions">
              {u.userId !== self ? (
                <>
                  <button type="button" class="small" onClick={() => onDisconnect(u.userId)} aria-label={`Disconnect ${u.userId}`}>
                    Disconnect
                  </button>
                  <button type="button" class="small ghost-danger" onClick={() => onBan(u.userId)} aria-label={`Ban ${u.userId}`}>
                    Ban
                  </button>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Bans({ session, room, poll }: { session: Session; room: GetRoomResponse; poll: number }) {
  const [changed, setChanged] = useState(0);
  const [bans] = useAsync(() => session.parlor.listBans({ roomIdentifier: room.arn!, maxResults: 100 }), [session, room.arn, poll, changed]);
  const unbanning = useAction();
  const { error } = unbanning;
  if (bans.state === 'failed' && isUnknownOperation(bans.error)) return null;
  const unban = (userId: string): Promise<void> =>
    unbanning.run(async () => {
      await session.parlor.unbanUser({ roomIdentifier: room.arn!, userId });
      setChanged((c) => c + 1);
    });
  return (
    <div class="card bans">
      <h2>Bans</h2>
      {bans.state === 'failed' ? <ErrorBox error={bans.error} title="Bans could not be listed" /> : null}
      <ErrorBox error={error} title="The user was not unbanned" />
      {bans.state === 'ok' && (bans.value.bans ?? []).length === 0 ? <p class="muted">No one is banned from this room.</p> : null}
      {bans.state === 'ok' && (bans.value.bans ?? []).length > 0 ? (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Reason</th>
              <th scope="col">Until</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(bans.value.bans ?? []).map((b) => (
              <tr key={b.userId}>
                <td data-label="User">
                  <strong>{b.userId}</strong>
                </td>
                <td data-label="Reason" class="wrap">
                  {b.reason || <span class="muted">—</span>}
                </td>
                <td data-label="Until">{b.expireTime ? formatTime(b.expireTime) : 'Until unbanned'}</td>
                <td class="actions">
                  <button type="button" class="small" onClick={() => void unban(b.userId!)} aria-label={`Unban ${b.userId}`}>
                    Unban
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function BanDialog({ session, room, userId, onClose }: { session: Session; room: GetRoomResponse; userId: string; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('');
  return (
    <ConfirmDialog
      title={`Ban ${userId}?`}
      confirmLabel="Ban user"
      onClose={onClose}
      onConfirm={async () => {
        const m = minutes.trim();
        await session.parlor.banUser({
          roomIdentifier: room.arn!,
          userId,
          ...(reason.trim() ? { reason: reason.trim() } : {}),
          ...(m ? { durationSeconds: Math.round(Number(m) * 60) } : {}),
        });
      }}
    >
      <p class="muted">Their connections to this room end now, and they cannot get a chat token for it until the ban ends.</p>
      <TextField label="Reason" name="ban-reason" value={reason} onInput={setReason} hint="Shown to the user when they are disconnected. Optional." />
      <TextField label="Duration in minutes" name="ban-minutes" type="number" value={minutes} onInput={setMinutes} hint="Empty: until unbanned." />
    </ConfirmDialog>
  );
}

function ChatPane({ chat, onDisconnect, onBan }: { chat: LiveChat } & UserActions) {
  const [text, setText] = useState('');
  const action = useAction();
  const { error } = action;
  const log = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [chat.entries]);

  const send = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (text.trim() === '') return;
    await action.run(async () => {
      await chat.send(text);
      setText('');
    });
  };
  const remove = (id: string): Promise<void> => action.run(() => chat.deleteMessage(id, 'Deleted from the Parlor console'));
  const status = chat.state === 'connected' ? 'Connected' : chat.state === 'connecting' ? 'Connecting…' : 'Disconnected';
  return (
    <section class="card chat" aria-labelledby="chat-title" data-state={chat.state}>
      <div class="chat-head">
        <h2 id="chat-title">Chat</h2>
        <span class="small" role="status">
          <span class={`status-dot${chat.state === 'connected' ? ' on' : chat.state === 'connecting' ? ' wait' : ''}`} aria-hidden="true" />
          {status} <span class="muted">as {chat.userId}</span>
          {chat.state === 'disconnected' ? (
            <button type="button" class="link" onClick={chat.reconnect}>
              Reconnect
            </button>
          ) : null}
        </span>
      </div>
      {chat.error ? (
        <div class="chat-error">
          <ErrorBox error={chat.error} title="The console could not join the chat" />
        </div>
      ) : null}
      <ol
        class="chat-log"
        ref={log}
        aria-live="polite"
        aria-label="Messages and events"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget as HTMLOListElement;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {chat.entries.length === 0 ? <li class="event">Nothing said yet. Messages and events appear here as they happen.</li> : null}
        {chat.entries.map((e) => (
          <ChatEntry key={`${e.kind}-${e.id}`} entry={e} self={chat.userId} onDelete={remove} onDisconnect={onDisconnect} onBan={onBan} />
        ))}
      </ol>
      <form class="chat-send" onSubmit={send}>
        <TextField label="Message" name="chat-message" value={text} onInput={setText} placeholder={chat.state === 'connected' ? 'Say something to the room' : 'Not connected'} />
        <button type="submit" class="primary" disabled={chat.state !== 'connected' || text.trim() === ''}>
          Send
        </button>
      </form>
      {error ? (
        <div class="chat-error">
          <ErrorBox error={error} />
        </div>
      ) : null}
    </section>
  );
}

function ChatEntry({ entry, self, onDelete, onDisconnect, onBan }: { entry: Entry; self: string; onDelete: (id: string) => void } & UserActions) {
  const time = <time dateTime={entry.time.toISOString()}>{formatClock(entry.time)}</time>;
  if (entry.kind === 'notice') {
    return (
      <li class="event notice-entry">
        {time}
        <span>{entry.text}</span>
        <span class="row-actions" />
      </li>
    );
  }
  if (entry.kind === 'event') {
    const attrs = entry.attributes ? Object.entries(entry.attributes).map(([k, v]) => `${k}=${v}`).join(', ') : '';
    return (
      <li class="event" data-event={entry.name}>
        {time}
        <span>
          Event <code>{entry.name}</code>
          {attrs ? ` — ${attrs}` : ''}
        </span>
        <span class="row-actions" />
      </li>
    );
  }
  return (
    <li class={entry.deleted ? 'deleted' : ''} data-message-id={entry.id}>
      {time}
      <span>
        <span class="sender">{entry.userId}</span>
        <span class="content">{entry.content}</span>
        {entry.deleted ? <span class="muted small"> (deleted)</span> : null}
      </span>
      <span class="row-actions">
        {!entry.deleted ? (
          <button type="button" class="small" onClick={() => onDelete(entry.id)} aria-label={`Delete message from ${entry.userId}`}>
            Delete
          </button>
        ) : null}
        {entry.userId !== self ? (
          <>
            <button type="button" class="small" onClick={() => onDisconnect(entry.userId)} aria-label={`Disconnect ${entry.userId}`}>
              Disconnect
            </button>
            <button type="button" class="small ghost-danger" onClick={() => onBan(entry.userId)} aria-label={`Ban ${entry.userId}`}>
              Ban
            </button>
          </>
        ) : null}
      </span>
    </li>
  );
}
