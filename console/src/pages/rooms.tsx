/**
 * Rooms: the list (ListRooms) with its three filters and paging, and the create form
 * (CreateRoom). A new room opens on its own page.
 */
import { CreateRoomCommand, ListRoomsCommand, type LoggingConfigurationSummary, type RoomSummary } from '@aws-sdk/client-ivschat';
import { useEffect, useState } from 'preact/hooks';
import { allLoggingConfigurations } from '../api/lists';
import type { Session } from '../api/session';
import { ErrorBox } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { formatTime } from '../ui/format';
import { arnSegments, href, navigate } from '../ui/router';
import { EMPTY_ROOM_FORM, roomInput, RoomFormFields, type RoomFormValues } from '../ui/room-form';
import { useAction } from '../ui/use-action';
import { useAsync } from '../ui/use-async';
import { SubmitButton } from '../ui/submit-button';

const PAGE_SIZES = ['10', '20', '50'];

interface Filters {
  readonly name: string;
  readonly messageReviewHandlerUri: string;
  readonly loggingConfigurationIdentifier: string;
}

const NO_FILTERS: Filters = { name: '', messageReviewHandlerUri: '', loggingConfigurationIdentifier: '' };

export function RoomsPage({ session }: { session: Session }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [pageSize, setPageSize] = useState('20');
  // tokens[i] is the nextToken that opens page i (page 0 has none).
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const [configs] = useAsync(() => allLoggingConfigurations(session), [session]);
  const configList = configs.state === 'ok' ? configs.value : undefined;

  const [rooms, reload] = useAsync(
    () =>
      session.ivs.send(
        new ListRoomsCommand({
          maxResults: Number(pageSize),
          nextToken: tokens[page],
          ...(filters.name.trim() ? { name: filters.name.trim() } : {}),
          ...(filters.messageReviewHandlerUri.trim() ? { messageReviewHandlerUri: filters.messageReviewHandlerUri.trim() } : {}),
          ...(filters.loggingConfigurationIdentifier ? { loggingConfigurationIdentifier: filters.loggingConfigurationIdentifier } : {}),
        }),
      ),
    [session, filters, pageSize, page, tokens[page]],
  );
  const nextToken = rooms.state === 'ok' ? rooms.value.nextToken : undefined;
  const filtered = filters.name !== '' || filters.messageReviewHandlerUri !== '' || filters.loggingConfigurationIdentifier !== '';

  const restart = (): void => {
    setTokens([undefined]);
    setPage(0);
  };
  const applyFilters = (e: Event): void => {
    e.preventDefault();
    setFilters(draft);
    restart();
  };
  const clearFilters = (): void => {
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
    restart();
  };
  const next = (): void => {
    if (!nextToken) return;
    setTokens((t) => [...t.slice(0, page + 1), nextToken]);
    setPage(page + 1);
  };

  return (
    <section>
      <div class="page-head">
        <h1 tabIndex={-1}>Rooms</h1>
        <button type="button" class={creating ? undefined : 'primary'} aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {creating ? 'Close the form' : 'Create room'}
        </button>
      </div>
      {creating ? <CreateRoom session={session} configs={configList} onCancel={() => setCreating(false)} /> : null}

      <form class="filters card" onSubmit={applyFilters} aria-label="Filter rooms">
        <TextField label="Name" name="filter-name" value={draft.name} onInput={(name) => setDraft({ ...draft, name })} placeholder="Exact room name" />
        <TextField
          label="Review handler URI"
          name="filter-review"
          value={draft.messageReviewHandlerUri}
          onInput={(messageReviewHandlerUri) => setDraft({ ...draft, messageReviewHandlerUri })}
          placeholder="arn:aws:lambda:…"
        />
        <SelectField
          label="Logging configuration"
          name="filter-logging"
          value={draft.loggingConfigurationIdentifier}
          onChange={(loggingConfigurationIdentifier) => setDraft({ ...draft, loggingConfigurationIdentifier })}
          options={[{ value: '', label: 'Any' }, ...(configList ?? []).map((c) => ({ value: c.arn!, label: c.name || c.id! }))]}
        />
        <div class="filter-actions">
          <button type="submit">Filter</button>
          {filtered ? (
            <button type="button" class="link" onClick={clearFilters}>
              Clear filters
            </button>
          ) : null}
        </div>
      </form>

      {rooms.state === 'failed' ? <ErrorBox error={rooms.error} title="The rooms could not be listed" /> : null}
      {rooms.state === 'loading' ? <p class="muted">Loading rooms…</p> : null}
      {rooms.state === 'ok' ? <RoomTable rooms={rooms.value.rooms ?? []} filtered={filtered} page={page} configs={configList} onCreate={() => setCreating(true)} /> : null}

      <div class="pager">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          ← Previous
        </button>
        <span class="muted">Page {page + 1}</span>
        <button type="button" disabled={!nextToken} onClick={next}>
          Next →
        </button>
        <label class="inline">
          Rooms per page{' '}
          <select
            value={pageSize}
            onChange={(e) => {
              setPageSize((e.currentTarget as HTMLSelectElement).value);
              restart();
            }}
          >
            {PAGE_SIZES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="button" class="link" onClick={reload}>
          Refresh
        </button>
      </div>
    </section>
  );
}

function RoomTable(props: { rooms: RoomSummary[]; filtered: boolean; page: number; configs: LoggingConfigurationSummary[] | undefined; onCreate: () => void }) {
  const { rooms, filtered, page, configs, onCreate } = props;
  if (rooms.length === 0) {
    return (
      <div class="empty card">
        {filtered ? (
          <p>No rooms match these filters.</p>
        ) : page > 0 ? (
          <p>No more rooms.</p>
        ) : (
          <>
            <p class="empty-title">No rooms yet — create one</p>
            <p class="muted">A room is where chat happens: clients join it with a chat token and the server enforces its limits.</p>
            <button type="button" class="primary" onClick={onCreate}>
              Create room
            </button>
          </>
        )}
      </div>
    );
  }
  const configName = (arn: string): string => configs?.find((c) => c.arn === arn)?.name || arn.split('/').pop() || arn;
  return (
    <div class="table-wrap card">
      <table class="rooms">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">ID</th>
            <th scope="col">Review handler</th>
            <th scope="col">Logging</th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rooms.map((r) => {
            const [account, id] = arnSegments(r.arn!);
            return (
              <tr key={r.arn}>
                <td data-label="Name">
                  <a href={href('rooms', account, id)}>{r.name || <span class="muted">(no name)</span>}</a>
                </td>
                <td data-label="ID">
                  <code>{r.id}</code>
                </td>
                <td data-label="Review handler" class="wrap">
                  {r.messageReviewHandler?.uri ? (
                    <span>
                      <code>{r.messageReviewHandler.uri.split(':').pop()}</code> <span class="muted small">({r.messageReviewHandler.fallbackResult ?? 'ALLOW'} on failure)</span>
                    </span>
                  ) : (
                    <span class="muted">None</span>
                  )}
                </td>
                <td data-label="Logging">{(r.loggingConfigurationIdentifiers ?? []).length === 0 ? <span class="muted">None</span> : (r.loggingConfigurationIdentifiers ?? []).map(configName).join(', ')}</td>
                <td data-label="Updated">{formatTime(r.updateTime)}</td>
                <td class="actions">
                  <a href={href('rooms', account, id, 'live')}>Watch live</a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CreateRoom({ session, configs, onCancel }: { session: Session; configs: LoggingConfigurationSummary[] | undefined; onCancel: () => void }) {
  const [values, setValues] = useState<RoomFormValues>(EMPTY_ROOM_FORM);
  const [problems, setProblems] = useState<Map<string, string>>(new Map());
  const create = useAction();
  const { error, busy } = create;
  useEffect(() => {
    document.getElementById('f-name')?.focus();
  }, []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const { input, problems: local } = roomInput(values, false);
    setProblems(local);
    create.clear();
    if (local.size > 0) return;
    await create.run(async () => {
      const room = await session.ivs.send(new CreateRoomCommand(input));
      navigate('rooms', ...arnSegments(room.arn!));
    });
  };

  return (
    <form class="card create-room" onSubmit={submit} aria-labelledby="create-room-title">
      <h2 id="create-room-title">Create a room</h2>
      <RoomFormFields values={values} onChange={setValues} error={error} problems={problems} loggingConfigurations={configs} />
      <ErrorBox error={error} title="The room was not created" />
      <div class="form-actions">
        <SubmitButton busy={busy} label="Create room" busyLabel="Creating…" />
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
