/**
 * The fields a room has in CreateRoom and UpdateRoom, shared by the create form and the room
 * page. Values stay as typed; only "is it a number at all" is checked here, every other rule
 * is the server's, and its fieldList message shows under the field it names.
 */
import type { LoggingConfigurationSummary } from '@aws-sdk/client-ivschat';
import { fieldProblem, type ShownError } from '../api/errors';
import { destinationText } from '../api/lists';
import { NOT_A_NUMBER, parseNumber, SelectField, TextField } from './field';

export interface RoomFormValues {
  readonly name: string;
  readonly maximumMessageLength: string;
  readonly maximumMessageRatePerSecond: string;
  readonly reviewUri: string;
  readonly fallbackResult: 'ALLOW' | 'DENY';
  readonly loggingConfigurationIdentifiers: readonly string[];
}

export const EMPTY_ROOM_FORM: RoomFormValues = {
  name: '',
  maximumMessageLength: '',
  maximumMessageRatePerSecond: '',
  reviewUri: '',
  fallbackResult: 'ALLOW',
  loggingConfigurationIdentifiers: [],
};

export interface RoomInput {
  name?: string;
  maximumMessageLength?: number;
  maximumMessageRatePerSecond?: number;
  messageReviewHandler?: { uri: string; fallbackResult: 'ALLOW' | 'DENY' };
  loggingConfigurationIdentifiers?: string[];
}

/**
 * The operation input from the form, or the fields that are not numbers. `forUpdate`: an
 * empty handler URI is sent (it removes the handler) and the logging list is always sent
 * (an empty one removes them all); for create, empty means "not given".
 */
export function roomInput(v: RoomFormValues, forUpdate: boolean): { input: RoomInput; problems: Map<string, string> } {
  const problems = new Map<string, string>();
  const input: RoomInput = {};
  if (v.name.trim() !== '' || forUpdate) input.name = v.name.trim();
  for (const key of ['maximumMessageLength', 'maximumMessageRatePerSecond'] as const) {
    const n = parseNumber(v[key]);
    if (n === 'invalid') problems.set(key, NOT_A_NUMBER);
    else if (n !== undefined) input[key] = n;
  }
  if (v.reviewUri.trim() !== '' || forUpdate) input.messageReviewHandler = { uri: v.reviewUri.trim(), fallbackResult: v.fallbackResult };
  if (v.loggingConfigurationIdentifiers.length > 0 || forUpdate) input.loggingConfigurationIdentifiers = [...v.loggingConfigurationIdentifiers];
  return { input, problems };
}

interface Props {
  readonly values: RoomFormValues;
  readonly onChange: (v: RoomFormValues) => void;
  readonly error: ShownError | undefined;
  readonly problems: ReadonlyMap<string, string>;
  readonly loggingConfigurations: readonly LoggingConfigurationSummary[] | undefined;
}

export function RoomFormFields({ values, onChange, error, problems, loggingConfigurations }: Props) {
  const problem = (field: string): string | undefined => problems.get(field) ?? fieldProblem(error, field);
  const set = (patch: Partial<RoomFormValues>): void => onChange({ ...values, ...patch });
  const known = new Set((loggingConfigurations ?? []).map((c) => c.arn!));
  const unknown = values.loggingConfigurationIdentifiers.filter((id) => !known.has(id));
  const toggle = (arn: string, on: boolean): void =>
    set({ loggingConfigurationIdentifiers: on ? [...values.loggingConfigurationIdentifiers, arn] : values.loggingConfigurationIdentifiers.filter((a) => a !== arn) });
  const loggingError = problem('loggingConfigurationIdentifiers');
  return (
    <>
      <TextField label="Name" name="name" value={values.name} onInput={(name) => set({ name })} error={problem('name')} hint="Letters, digits, - and _; up to 128 characters. Optional." />
      <div class="field-row">
        <TextField
          label="Maximum message length"
          name="maximumMessageLength"
          type="number"
          value={values.maximumMessageLength}
          onInput={(maximumMessageLength) => set({ maximumMessageLength })}
          error={problem('maximumMessageLength')}
          hint="Characters, 1–500 (default 500)."
        />
        <TextField
          label="Maximum message rate per second"
          name="maximumMessageRatePerSecond"
          type="number"
          value={values.maximumMessageRatePerSecond}
          onInput={(maximumMessageRatePerSecond) => set({ maximumMessageRatePerSecond })}
          error={problem('maximumMessageRatePerSecond')}
          hint="Messages per second for the whole room, 1–100 (default 10)."
        />
      </div>
      <div class="field-row">
        <TextField
          label="Review handler URI"
          name="messageReviewHandler.uri"
          value={values.reviewUri}
          onInput={(reviewUri) => set({ reviewUri })}
          error={problem('messageReviewHandler.uri') ?? problem('messageReviewHandler')}
          placeholder="arn:aws:lambda:us-east-1:123456789012:function:review"
          hint="A Lambda function ARN that reviews each message; empty for none."
        />
        <SelectField
          label="Fallback result"
          name="messageReviewHandler.fallbackResult"
          value={values.fallbackResult}
          onChange={(f) => set({ fallbackResult: f === 'DENY' ? 'DENY' : 'ALLOW' })}
          options={[
            { value: 'ALLOW', label: 'Allow the message' },
            { value: 'DENY', label: 'Deny the message' },
          ]}
          error={problem('messageReviewHandler.fallbackResult')}
          hint="What happens when the review handler fails or is too slow."
        />
      </div>
      <fieldset class={`field checks${loggingError ? ' has-error' : ''}`} data-field="loggingConfigurationIdentifiers">
        <legend>Logging configurations</legend>
        {loggingConfigurations === undefined ? <p class="muted small">Loading logging configurations…</p> : null}
        {loggingConfigurations?.length === 0 && unknown.length === 0 ? <p class="muted small">No logging configurations yet — create one under Logging configurations to record this room's messages.</p> : null}
        {(loggingConfigurations ?? []).map((c) => (
          <label class="check" key={c.arn}>
            <input type="checkbox" checked={values.loggingConfigurationIdentifiers.includes(c.arn!)} onChange={(e) => toggle(c.arn!, (e.currentTarget as HTMLInputElement).checked)} />
            <span>
              {c.name || c.id} <span class="muted small">— {destinationText(c.destinationConfiguration)}</span>
            </span>
          </label>
        ))}
        {unknown.map((arn) => (
          <label class="check" key={arn}>
            <input type="checkbox" checked onChange={() => toggle(arn, false)} />
            <span class="muted">{arn}</span>
          </label>
        ))}
        {loggingError ? (
          <p class="field-error" role="alert">
            {loggingError}
          </p>
        ) : null}
      </fieldset>
    </>
  );
}
