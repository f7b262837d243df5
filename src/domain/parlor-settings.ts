/**
 * Parlor's room settings beyond the AWS API. They travel as tags whose keys start with
 * `parlor:` (so any tool that tags a room sets them, and AWS would simply keep them as tags).
 * This module is the one place that knows the keys, their ranges and defaults: the control
 * plane refuses bad values with it, and the chat core reads the typed settings from it.
 */
import type { FieldProblem } from './errors.js';

/** Tag keys starting with this are Parlor settings; any other key is an ordinary tag. */
export const PARLOR_TAG_PREFIX = 'parlor:';

export interface ParlorSettings {
  /** How many of the room's most recent delivered messages are kept (0 = none). */
  readonly history: number;
  /** How many kept messages a new connection receives before any live frame (0 = no replay). */
  readonly replay: number;
  /** Seconds between two messages of one user in the room (0 = no slow mode). */
  readonly slowModeSeconds: number;
  /** Whether clients receive `parlor:user-joined` / `parlor:user-left` events. */
  readonly presenceEvents: boolean;
}

export const DEFAULT_PARLOR_SETTINGS: ParlorSettings = { history: 0, replay: 0, slowModeSeconds: 0, presenceEvents: false };

interface IntegerSetting {
  readonly kind: 'integer';
  readonly field: 'history' | 'replay' | 'slowModeSeconds';
  readonly min: number;
  readonly max: number;
  /** Said after the range in a refusal, e.g. "seconds". */
  readonly unit?: string;
}
interface BooleanSetting {
  readonly kind: 'boolean';
  readonly field: 'presenceEvents';
}
type SettingDef = IntegerSetting | BooleanSetting;

/** Every `parlor:` tag key Parlor accepts (INTERFACE.md's table). */
export const PARLOR_SETTINGS: Readonly<Record<string, SettingDef>> = {
  'parlor:history': { kind: 'integer', field: 'history', min: 0, max: 1000 },
  'parlor:replay': { kind: 'integer', field: 'replay', min: 0, max: 100 },
  'parlor:slow-mode': { kind: 'integer', field: 'slowModeSeconds', min: 0, max: 3600, unit: 'seconds' },
  'parlor:presence-events': { kind: 'boolean', field: 'presenceEvents' },
};

/** Plain decimal digits only: no sign, exponent, spaces or fraction ("010" is 10). */
const DIGITS = /^[0-9]{1,7}$/;

type Parsed = { readonly ok: true; readonly value: number | boolean } | { readonly ok: false; readonly message: string };

function parseValue(def: SettingDef, text: string): Parsed {
  if (def.kind === 'boolean') {
    if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
    return { ok: false, message: 'must be "true" or "false"' };
  }
  const n = DIGITS.test(text) ? Number(text) : NaN;
  if (Number.isInteger(n) && n >= def.min && n <= def.max) return { ok: true, value: n };
  return { ok: false, message: `must be a whole number from ${def.min} to ${def.max}${def.unit ? ` ${def.unit}` : ''}` };
}

/**
 * What is wrong with the `parlor:` tags among `tags` (other keys are not looked at); one
 * problem per bad tag, named `tags.<key>`. Tolerates a non-object (the model's validation
 * reports that).
 */
export function parlorTagProblems(tags: unknown): FieldProblem[] {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return [];
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    if (!key.startsWith(PARLOR_TAG_PREFIX)) continue;
    const def = PARLOR_SETTINGS[key];
    if (!def) {
      problems.push({ name: `tags.${key}`, message: `is not a Parlor setting (known: ${Object.keys(PARLOR_SETTINGS).join(', ')})` });
    } else if (typeof value === 'string') {
      const parsed = parseValue(def, value);
      if (!parsed.ok) problems.push({ name: `tags.${key}`, message: parsed.message });
    }
  }
  return problems;
}

/**
 * The settings a room's tags give, with defaults for absent keys. Stored tags were checked
 * when written; a value that does not parse anyway (written before a range changed) counts as
 * absent.
 */
export function parlorSettings(tags: Readonly<Record<string, string>>): ParlorSettings {
  let settings: ParlorSettings | undefined;
  for (const key in tags) {
    if (!key.startsWith(PARLOR_TAG_PREFIX)) continue;
    const def = PARLOR_SETTINGS[key];
    if (!def) continue;
    const parsed = parseValue(def, tags[key]!);
    if (parsed.ok) settings = { ...(settings ?? DEFAULT_PARLOR_SETTINGS), [def.field]: parsed.value };
  }
  return settings ?? DEFAULT_PARLOR_SETTINGS;
}
