/**
 * Logging configurations: where rooms' chat logs go (an S3 bucket, a CloudWatch Logs group or a
 * Firehose stream). The list with each one's destination, state and delivery health (from
 * /metrics when readable), create, and one configuration's page to edit or delete it.
 */
import {
  CreateLoggingConfigurationCommand,
  DeleteLoggingConfigurationCommand,
  GetLoggingConfigurationCommand,
  UpdateLoggingConfigurationCommand,
  type DestinationConfiguration,
  type GetLoggingConfigurationResponse,
} from '@aws-sdk/client-ivschat';
import { useState } from 'preact/hooks';
import { fieldProblem, type ShownError } from '../api/errors';
import { allLoggingConfigurations, destinationText } from '../api/lists';
import { readMetrics } from '../api/metrics';
import type { Session } from '../api/session';
import { ConfirmDialog } from '../ui/dialog';
import { ErrorBox, Notice } from '../ui/error-box';
import { SelectField, TextField } from '../ui/field';
import { formatTime } from '../ui/format';
import { ResourceFacts } from '../ui/resource-facts';
import { useAction } from '../ui/use-action';
import { arnOf, arnSegments, href, navigate } from '../ui/router';
import { useAsync } from '../ui/use-async';
import { SubmitButton } from '../ui/submit-button';

type Kind = 's3' | 'cloudWatchLogs' | 'firehose';

const KINDS: readonly { value: Kind; label: string; target: string; field: string; hint: string }[] = [
  { value: 's3', label: 'S3 bucket', target: 'Bucket name', field: 'bucketName', hint: 'Log files are written to this bucket.' },
  { value: 'cloudWatchLogs', label: 'CloudWatch Logs group', target: 'Log group name', field: 'logGroupName', hint: 'Each room writes to a stream in this group.' },
  { value: 'firehose', label: 'Firehose delivery stream', target: 'Delivery stream name', field: 'deliveryStreamName', hint: 'Records are put to this stream.' },
];

interface Values {
  readonly name: string;
  readonly kind: Kind;
  readonly target: string;
}

function valuesOf(c: GetLoggingConfigurationResponse): Values {
  const d = c.destinationConfiguration;
  if (d?.cloudWatchLogs) return { name: c.name ?? '', kind: 'cloudWatchLogs', target: d.cloudWatchLogs.logGroupName ?? '' };
  if (d?.firehose) return { name: c.name ?? '', kind: 'firehose', target: d.firehose.deliveryStreamName ?? '' };
  return { name: c.name ?? '', kind: 's3', target: d?.s3?.bucketName ?? '' };
}

function destination(v: Values): DestinationConfiguration {
  const t = v.target.trim();
  if (v.kind === 'cloudWatchLogs') return { cloudWatchLogs: { logGroupName: t } };
  if (v.kind === 'firehose') return { firehose: { deliveryStreamName: t } };
  return { s3: { bucketName: t } };
}

function LoggingFields({ values, onChange, error }: { values: Values; onChange: (v: Values) => void; error: ShownError | undefined }) {
  const kind = KINDS.find((k) => k.value === values.kind)!;
  const destinationError =
    fieldProblem(error, `destinationConfiguration.${values.kind}.${kind.field}`) ?? fieldProblem(error, `destinationConfiguration.${values.kind}`) ?? fieldProblem(error, 'destinationConfiguration');
  return (
    <>
      <TextField label="Name" name="name" value={values.name} onInput={(name) => onChange({ ...values, name })} error={fieldProblem(error, 'name')} hint="Letters, digits, - and _. Optional." />
      <div class="field-row">
        <SelectField
          label="Destination"
          name="destination-kind"
          value={values.kind}
          onChange={(k) => onChange({ ...values, kind: k as Kind })}
          options={KINDS.map((k) => ({ value: k.value, label: k.label }))}
        />
        <TextField label={kind.target} name="destination-target" value={values.target} onInput={(target) => onChange({ ...values, target })} error={destinationError} hint={kind.hint} />
      </div>
    </>
  );
}

export function LoggingPage({ session, account, id }: { session: Session; account: string | undefined; id: string | undefined }) {
  if (account && id) return <LoggingConfigurationPage session={session} arn={arnOf('logging-configuration', session.region, account, id)} />;
  return <LoggingList session={session} />;
}

function LoggingList({ session }: { session: Session }) {
  const [configs, reload] = useAsync(() => allLoggingConfigurations(session), [session]);
  const [health] = useAsync(() => readMetrics(session), [session]);
  const [creating, setCreating] = useState(false);
  const deliveryOf = (arn: string): 'ok' | 'failing' | undefined => {
    if (health.state !== 'ok' || health.value.kind !== 'ok') return undefined;
    const samples = health.value.metrics.samples('parlor_chat_log_delivery_status').filter((s) => Object.values(s.labels).includes(arn));
    if (samples.length === 0) return undefined;
    return samples.every((s) => s.value === 1) ? 'ok' : 'failing';
  };
  return (
    <section>
      <div class="page-head">
        <h1 tabIndex={-1}>Logging configurations</h1>
        <button type="button" class={creating ? undefined : 'primary'} aria-expanded={creating} onClick={() => setCreating(!creating)}>
          {creating ? 'Close the form' : 'Create logging configuration'}
        </button>
      </div>
      <p class="muted">A logging configuration says where a room's messages and events are recorded. Attach it to rooms on their settings page.</p>
      {creating ? (
        <CreateForm
          session={session}
          onCancel={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            reload();
          }}
        />
      ) : null}
      {configs.state === 'loading' ? <p class="muted">Loading…</p> : null}
      {configs.state === 'failed' ? <ErrorBox error={configs.error} title="The logging configurations could not be listed" /> : null}
      {configs.state === 'ok' && configs.value.length === 0 ? (
        <div class="empty card">
          <p class="empty-title">No logging configurations yet — create one</p>
          <p class="muted">Then attach it to a room to keep that room's chat log in S3, CloudWatch Logs or Firehose (or local files, by default).</p>
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            Create logging configuration
          </button>
        </div>
      ) : null}
      {configs.state === 'ok' && configs.value.length > 0 ? (
        <div class="table-wrap card">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Delivers to</th>
                <th scope="col">State</th>
                <th scope="col">Delivery</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {configs.value.map((c) => {
                const [acct, cid] = arnSegments(c.arn!);
                const delivery = deliveryOf(c.arn!);
                return (
                  <tr key={c.arn}>
                    <td data-label="Name">
                      <a href={href('logging', acct, cid)}>{c.name || c.id}</a>
                    </td>
                    <td data-label="Delivers to" class="wrap">
                      {destinationText(c.destinationConfiguration)}
                    </td>
                    <td data-label="State">
                      <span class={`pill ${c.state === 'ACTIVE' ? 'ok' : c.state?.endsWith('FAILED') ? 'bad' : 'warn'}`}>{c.state}</span>
                    </td>
                    <td data-label="Delivery">
                      {delivery === 'ok' ? <span class="pill ok">Delivering</span> : delivery === 'failing' ? <span class="pill bad">Failing</span> : <span class="muted">No records yet</span>}
                    </td>
                    <td data-label="Updated">{formatTime(c.updateTime)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function CreateForm({ session, onCancel, onCreated }: { session: Session; onCancel: () => void; onCreated: () => void }) {
  const [values, setValues] = useState<Values>({ name: '', kind: 's3', target: '' });
  const create = useAction();
  const { error, busy } = create;
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    await create.run(async () => {
      await session.ivs.send(new CreateLoggingConfigurationCommand({ ...(values.name.trim() ? { name: values.name.trim() } : {}), destinationConfiguration: destination(values) }));
      onCreated();
    });
  };
  return (
    <form class="card create-logging" onSubmit={submit} aria-labelledby="create-logging-title">
      <h2 id="create-logging-title">Create a logging configuration</h2>
      <LoggingFields values={values} onChange={setValues} error={error} />
      <ErrorBox error={error} title="The logging configuration was not created" />
      <div class="form-actions">
        <SubmitButton busy={busy} label="Create" busyLabel="Creating…" />
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function LoggingConfigurationPage({ session, arn }: { session: Session; arn: string }) {
  const [config, reload] = useAsync(() => session.ivs.send(new GetLoggingConfigurationCommand({ identifier: arn })), [session, arn]);
  return (
    <section>
      <p class="crumbs">
        <a href={href('logging')}>Logging configurations</a> / <span class="muted">{arn.split('/').pop()}</span>
      </p>
      {config.state === 'loading' ? <p class="muted">Loading…</p> : null}
      {config.state === 'failed' ? (
        <>
          <h1 tabIndex={-1}>Logging configuration</h1>
          <ErrorBox error={config.error} title="The logging configuration could not be read" />
        </>
      ) : null}
      {config.state === 'ok' ? <EditLogging session={session} config={config.value} onSaved={reload} /> : null}
    </section>
  );
}

function EditLogging({ session, config, onSaved }: { session: Session; config: GetLoggingConfigurationResponse; onSaved: () => void }) {
  const [values, setValues] = useState(() => valuesOf(config));
  const save = useAction();
  const { error, notice, busy } = save;
  const [deleting, setDeleting] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    await save.run(async () => {
      await session.ivs.send(new UpdateLoggingConfigurationCommand({ identifier: config.arn!, name: values.name.trim(), destinationConfiguration: destination(values) }));
      onSaved();
    }, 'Saved');
  };
  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{config.name || config.id}</h1>
        <span class={`pill ${config.state === 'ACTIVE' ? 'ok' : 'warn'}`}>{config.state}</span>
      </div>
      <div class="two-col">
        <form class="card" onSubmit={submit} aria-labelledby="edit-logging-title">
          <h2 id="edit-logging-title">Where it delivers</h2>
          <LoggingFields values={values} onChange={setValues} error={error} />
          <ErrorBox error={error} title="The logging configuration was not updated" />
          <div class="form-actions">
            <SubmitButton busy={busy} label="Save" />
            <Notice text={notice} />
          </div>
        </form>
        <div>
          <ResourceFacts arn={config.arn} createTime={config.createTime} updateTime={config.updateTime}>
            <dt>Delivers to</dt>
            <dd>{destinationText(config.destinationConfiguration)}</dd>
          </ResourceFacts>
          <div class="card">
            <h2>Delete this logging configuration</h2>
            <p class="muted">Rooms that use it stop logging to it.</p>
            <button type="button" class="ghost-danger" onClick={() => setDeleting(true)}>
              Delete logging configuration
            </button>
          </div>
        </div>
      </div>
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${config.name || config.id}?`}
          confirmLabel="Delete"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await session.ivs.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn! }));
            navigate('logging');
          }}
        >
          <p>Rooms that use it stop logging to it. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
