/**
 * One room: its settings (every UpdateRoom field), its `parlor:` settings and other tags, its
 * details, and deletion with confirmation; the Live tab watches it (room-live.tsx).
 */
import { DeleteRoomCommand, GetRoomCommand, TagResourceCommand, UntagResourceCommand, UpdateRoomCommand, type GetRoomResponse, type LoggingConfigurationSummary } from '@aws-sdk/client-ivschat';
import { useEffect, useState } from 'preact/hooks';
import { fieldProblem } from '../api/errors';
import { allLoggingConfigurations } from '../api/lists';
import { isParlorTag, PARLOR_SETTINGS } from '../api/parlor-settings';
import type { Session } from '../api/session';
import { ConfirmDialog } from '../ui/dialog';
import { ErrorBox, Notice } from '../ui/error-box';
import { Field, described, fieldId, NOT_A_NUMBER, parseNumber, TextField } from '../ui/field';
import { arnOf, href, navigate } from '../ui/router';
import { roomInput, RoomFormFields, type RoomFormValues } from '../ui/room-form';
import { ResourceFacts } from '../ui/resource-facts';
import { useAction } from '../ui/use-action';
import { useAsync } from '../ui/use-async';
import { RoomLive } from './room-live';
import { SubmitButton } from '../ui/submit-button';

interface Props {
  readonly session: Session;
  readonly account: string;
  readonly id: string;
  readonly tab: 'settings' | 'live';
}

export function RoomPage({ session, account, id, tab }: Props) {
  const arn = arnOf('room', session.region, account, id);
  const [room, reload] = useAsync(() => session.ivs.send(new GetRoomCommand({ identifier: arn })), [session, arn]);
  const [configs] = useAsync(() => allLoggingConfigurations(session), [session]);
  const title = room.state === 'ok' ? room.value.name || room.value.id : id;
  return (
    <section>
      <p class="crumbs">
        <a href={href('rooms')}>Rooms</a> / <span class="muted">{id}</span>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>{title}</h1>
      </div>
      <nav class="tabs" aria-label="Room">
        <a href={href('rooms', account, id)} aria-current={tab === 'settings' ? 'page' : undefined}>
          Settings
        </a>
        <a href={href('rooms', account, id, 'live')} aria-current={tab === 'live' ? 'page' : undefined}>
          Live
        </a>
      </nav>
      {room.state === 'loading' ? <p class="muted">Loading the room…</p> : null}
      {room.state === 'failed' ? (
        <>
          <ErrorBox error={room.error} title="The room could not be read" />
          <p>
            <a href={href('rooms')}>Back to the rooms</a>
          </p>
        </>
      ) : null}
      {room.state === 'ok' && tab === 'live' ? <RoomLive session={session} room={room.value} /> : null}
      {room.state === 'ok' && tab === 'settings' ? (
        <Settings session={session} room={room.value} configs={configs.state === 'ok' ? configs.value : undefined} onSaved={reload} />
      ) : null}
    </section>
  );
}

function valuesOf(room: GetRoomResponse): RoomFormValues {
  return {
    name: room.name ?? '',
    maximumMessageLength: String(room.maximumMessageLength ?? ''),
    maximumMessageRatePerSecond: String(room.maximumMessageRatePerSecond ?? ''),
    reviewUri: room.messageReviewHandler?.uri ?? '',
    fallbackResult: room.messageReviewHandler?.fallbackResult === 'DENY' ? 'DENY' : 'ALLOW',
    loggingConfigurationIdentifiers: room.loggingConfigurationIdentifiers ?? [],
  };
}

function Settings({ session, room, configs, onSaved }: { session: Session; room: GetRoomResponse; configs: LoggingConfigurationSummary[] | undefined; onSaved: () => void }) {
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      <div class="two-col">
        <RoomSettingsForm session={session} room={room} configs={configs} onSaved={onSaved} />
        <div>
          <ParlorSettingsForm session={session} room={room} onSaved={onSaved} />
          <TagsForm session={session} room={room} onSaved={onSaved} />
          <ResourceFacts arn={room.arn} createTime={room.createTime} updateTime={room.updateTime}>
            <dt>ID</dt>
            <dd>
              <code>{room.id}</code>
            </dd>
          </ResourceFacts>
          <div class="card">
            <h2>Delete this room</h2>
            <p class="muted">Everyone connected is disconnected, and its kept messages and bans go with it. This cannot be undone.</p>
            <button type="button" class="ghost-danger" onClick={() => setDeleting(true)}>
              Delete room
            </button>
          </div>
        </div>
      </div>
      {deleting ? (
        <ConfirmDialog
          title={`Delete the room ${room.name || room.id}?`}
          confirmLabel="Delete room"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await session.ivs.send(new DeleteRoomCommand({ identifier: room.arn! }));
            navigate('rooms');
          }}
        >
          <p>Its connected users are disconnected and the room cannot be recovered.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function RoomSettingsForm({ session, room, configs, onSaved }: { session: Session; room: GetRoomResponse; configs: LoggingConfigurationSummary[] | undefined; onSaved: () => void }) {
  const [values, setValues] = useState(() => valuesOf(room));
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const save = useAction();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const { input, problems: local } = roomInput(values, true);
    setProblems(local);
    if (local.size > 0) return;
    await save.run(async () => {
      await session.ivs.send(new UpdateRoomCommand({ identifier: room.arn!, ...input }));
      onSaved();
    }, 'Saved');
  };
  return (
    <form class="card room-settings" onSubmit={submit} aria-labelledby="room-settings-title">
      <h2 id="room-settings-title">Room settings</h2>
      <RoomFormFields values={values} onChange={setValues} error={save.error} problems={problems} loggingConfigurations={configs} />
      <ErrorBox error={save.error} title="The room was not updated" />
      <div class="form-actions">
        <SubmitButton busy={save.busy} label="Save settings" />
        <Notice text={save.notice} />
      </div>
    </form>
  );
}

function ParlorSettingsForm({ session, room, onSaved }: { session: Session; room: GetRoomResponse; onSaved: () => void }) {
  const tags = room.tags ?? {};
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(PARLOR_SETTINGS.map((s) => [s.tag, tags[s.tag] ?? ''])));
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const save = useAction();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const local = new Map<string, string>();
    const set: Record<string, string> = {};
    const unset: string[] = [];
    for (const s of PARLOR_SETTINGS) {
      const v = (values[s.tag] ?? '').trim();
      if (v === '' || (s.kind === 'boolean' && v === 'false')) {
        if (tags[s.tag] !== undefined) unset.push(s.tag);
      } else if (s.kind === 'number' && parseNumber(v) === 'invalid') local.set(s.tag, NOT_A_NUMBER);
      else if (v !== tags[s.tag]) set[s.tag] = v;
    }
    setProblems(local);
    if (local.size > 0) return;
    await save.run(async () => {
      if (Object.keys(set).length > 0) await session.ivs.send(new TagResourceCommand({ resourceArn: room.arn!, tags: set }));
      if (unset.length > 0) await session.ivs.send(new UntagResourceCommand({ resourceArn: room.arn!, tagKeys: unset }));
      onSaved();
    }, 'Saved');
  };
  return (
    <form class="card parlor-settings" onSubmit={submit} aria-labelledby="parlor-settings-title">
      <h2 id="parlor-settings-title">Parlor settings</h2>
      <p class="muted small">Extensions beyond IVS Chat, kept as the room's parlor: tags. Empty means the default (off).</p>
      {PARLOR_SETTINGS.map((s) => {
        const error = problems.get(s.tag) ?? fieldProblem(save.error, `tags.${s.tag}`);
        if (s.kind === 'boolean') {
          const id = fieldId(s.tag);
          return (
            <Field key={s.tag} id={id} label={s.label} hint={s.hint} error={error} field={`tags.${s.tag}`}>
              <label class="check">
                <input
                  type="checkbox"
                  {...described(id, s.hint, error)}
                  checked={values[s.tag] === 'true'}
                  onChange={(e) => setValues({ ...values, [s.tag]: (e.currentTarget as HTMLInputElement).checked ? 'true' : 'false' })}
                />
                <span>
                  On <span class="muted small">({s.tag})</span>
                </span>
              </label>
            </Field>
          );
        }
        return <TextField key={s.tag} label={s.label} name={s.tag} type="number" value={values[s.tag] ?? ''} onInput={(v) => setValues({ ...values, [s.tag]: v })} hint={`${s.hint} Tag ${s.tag}.`} error={error} placeholder="0" field={`tags.${s.tag}`} />;
      })}
      <ErrorBox error={save.error} title="The Parlor settings were not saved" />
      <div class="form-actions">
        <SubmitButton busy={save.busy} label="Save Parlor settings" />
        <Notice text={save.notice} />
      </div>
    </form>
  );
}

interface TagRow {
  readonly key: string;
  readonly value: string;
}

function TagsForm({ session, room, onSaved }: { session: Session; room: GetRoomResponse; onSaved: () => void }) {
  const original = Object.entries(room.tags ?? {}).filter(([k]) => !isParlorTag(k));
  const [rows, setRows] = useState<TagRow[]>(() => original.map(([key, value]) => ({ key, value })));
  const save = useAction();
  useEffect(() => setRows(original.map(([key, value]) => ({ key, value }))), [room.updateTime]);
  const update = (i: number, patch: Partial<TagRow>): void => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const wanted = rows.filter((r) => r.key.trim() !== '');
    const set = Object.fromEntries(wanted.map((r) => [r.key.trim(), r.value]));
    const removed = original.map(([k]) => k).filter((k) => !(k in set));
    await save.run(async () => {
      if (Object.keys(set).length > 0) await session.ivs.send(new TagResourceCommand({ resourceArn: room.arn!, tags: set }));
      if (removed.length > 0) await session.ivs.send(new UntagResourceCommand({ resourceArn: room.arn!, tagKeys: removed }));
      onSaved();
    }, 'Saved');
  };
  const tagsProblem = save.error ? [...save.error.fields].find(([name]) => name.startsWith('tags'))?.[1] : undefined;
  return (
    <form class="card tags" onSubmit={submit} aria-labelledby="tags-title">
      <h2 id="tags-title">Tags</h2>
      {rows.length === 0 ? <p class="muted small">No tags. Tags label a room for your own tools and policies.</p> : null}
      {rows.map((r, i) => (
        <div class="tag-row" key={i}>
          <TextField label="Key" name={`tag-key-${i}`} value={r.key} onInput={(key) => update(i, { key })} />
          <TextField label="Value" name={`tag-value-${i}`} value={r.value} onInput={(value) => update(i, { value })} />
          <button type="button" class="small remove-tag" aria-label={`Remove tag ${r.key || i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      {tagsProblem ? (
        <p class="field-error" role="alert">
          {tagsProblem}
        </p>
      ) : null}
      <ErrorBox error={save.error} title="The tags were not saved" />
      <div class="form-actions">
        <button type="button" onClick={() => setRows([...rows, { key: '', value: '' }])}>
          Add tag
        </button>
        <SubmitButton busy={save.busy} label="Save tags" />
        <Notice text={save.notice} />
      </div>
    </form>
  );
}
