/**
 * Validates a decoded operation input against the model's shapes: types, required members,
 * lengths (in Unicode code points), ranges, patterns (anchored), enums, list and map sizes and
 * unions. Every problem is collected, so one ValidationException reports them all together.
 */
import type { FieldProblem } from '../domain/errors.js';
import { SHAPES } from './generated/model.js';
import type { ShapeDef } from './model-types.js';

/**
 * Patterns that cannot be enforced as the model stores them. `ResourceArn` (tag operations)
 * has `[a-z-]/` where a resource kind is meant: one character never matches `room`.
 */
const PATTERN_OVERRIDES: Readonly<Record<string, string>> = {
  ResourceArn: 'arn:aws:ivschat:[a-z0-9-]+:[0-9]+:(room|logging-configuration)/[a-zA-Z0-9-]+',
};

const compiled = new Map<string, RegExp>();
function patternOf(shapeName: string, def: ShapeDef): RegExp | undefined {
  const source = PATTERN_OVERRIDES[shapeName] ?? def.pattern;
  if (source === undefined) return undefined;
  let re = compiled.get(shapeName);
  if (!re) {
    re = new RegExp(`^(?:${source})$`, 'u');
    compiled.set(shapeName, re);
  }
  return re;
}

function shape(name: string): ShapeDef {
  const def = (SHAPES as Readonly<Record<string, ShapeDef>>)[name];
  if (!def) throw new Error(`shape ${name} is not in the model`);
  return def;
}

/** Length of a string as the service counts it: Unicode code points, so an emoji is one. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Checks `value` against shape `shapeName`; appends problems under member path `path`. */
export function validateShape(shapeName: string, value: unknown, path: string, problems: FieldProblem[]): void {
  const def = shape(shapeName);
  const bad = (message: string): void => void problems.push({ name: path, message });
  switch (def.type) {
    case 'string': {
      if (typeof value !== 'string') return bad('must be a string');
      const len = codePointLength(value);
      if (def.min !== undefined && len < def.min) return bad(`length must be at least ${def.min}`);
      if (def.max !== undefined && len > def.max) return bad(`length must be at most ${def.max}`);
      if (def.enum && !def.enum.includes(value)) return bad(`must be one of ${def.enum.join(', ')}`);
      const re = patternOf(shapeName, def);
      if (re && !re.test(value)) return bad(`must match pattern ${PATTERN_OVERRIDES[shapeName] ?? def.pattern}`);
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return bad('must be an integer');
      if (def.min !== undefined && value < def.min) return bad(`must be at least ${def.min}`);
      if (def.max !== undefined && value > def.max) return bad(`must be at most ${def.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') bad('must be a boolean');
      return;
    case 'timestamp':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) bad('must be an ISO-8601 timestamp');
      return;
    case 'list': {
      if (!Array.isArray(value)) return bad('must be a list');
      if (def.min !== undefined && value.length < def.min) return bad(`must have at least ${def.min} items`);
      if (def.max !== undefined && value.length > def.max) return bad(`must have at most ${def.max} items`);
      value.forEach((item, i) => validateShape(def.member!, item, `${path}[${i}]`, problems));
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) return bad('must be a map of strings');
      const entries = Object.entries(value);
      if (def.min !== undefined && entries.length < def.min) return bad(`must have at least ${def.min} entries`);
      if (def.max !== undefined && entries.length > def.max) return bad(`must have at most ${def.max} entries`);
      for (const [k, v] of entries) {
        validateShape(def.key!, k, `${path}.${k}(key)`, problems);
        validateShape(def.value!, v, `${path}.${k}`, problems);
      }
      return;
    }
    case 'structure': {
      if (!isPlainObject(value)) return bad('must be an object');
      validateMembers(def, value, path, problems);
      return;
    }
  }
}

function validateMembers(def: ShapeDef, value: Record<string, unknown>, path: string, problems: FieldProblem[]): void {
  const prefix = path === '' ? '' : `${path}.`;
  for (const req of def.required ?? []) {
    if (value[req] === undefined || value[req] === null) problems.push({ name: `${prefix}${req}`, message: 'is required' });
  }
  const members = def.members ?? {};
  let set = 0;
  for (const [name, ref] of Object.entries(members)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    set++;
    validateShape(ref.shape, v, `${prefix}${name}`, problems);
  }
  if (def.union && set !== 1) {
    problems.push({
      name: path === '' ? '(input)' : path,
      message: `must set exactly one of ${Object.keys(members).join(', ')}`,
    });
  }
}

/** Validates a whole operation input (the top-level structure); returns every problem found. */
export function validateInput(inputShape: string, input: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  validateMembers(shape(inputShape), input, '', problems);
  return problems;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
