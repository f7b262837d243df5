/**
 * Judges a handler's answer (SPEC §5): `{"ReviewResult":"ALLOW"|"DENY","Content":…,"Attributes":{…}}`.
 * Anything else is invalid, and the gate applies the room's fallback.
 *
 * Choices where the spec is silent (docs/review.md): `ReviewResult` is matched exactly; other
 * members are ignored; on ALLOW an absent (or null) `Content` / `Attributes` keeps the
 * message's own; on DENY `Content` is ignored and `Attributes.Reason` becomes the reason.
 */
import { codePointLength, isPlainObject } from '../protocol/validate.js';
import type { ReviewRequest } from './review-gate.js';

/** Message attributes may take this many bytes: UTF-8 of every key and value, summed. */
export const MAX_ATTRIBUTES_BYTES = 1024;

export type ReviewVerdict =
  | {
      readonly kind: 'allow';
      readonly content: string;
      readonly attributes: Readonly<Record<string, string>>;
      /** The handler changed the content or the attributes. */
      readonly rewritten: boolean;
    }
  | { readonly kind: 'deny'; readonly reason?: string }
  | { readonly kind: 'invalid'; readonly problem: string };

function attributesOf(value: unknown): Record<string, string> | string {
  if (!isPlainObject(value)) return 'Attributes must be an object of strings';
  let bytes = 0;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return `Attributes.${k} must be a string`;
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (bytes > MAX_ATTRIBUTES_BYTES) return `Attributes take ${bytes} bytes, more than ${MAX_ATTRIBUTES_BYTES}`;
  return value as Record<string, string>;
}

function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** `maximumMessageLength`: the room's, in code points. */
export function judgeAnswer(raw: string, request: ReviewRequest, maximumMessageLength: number): ReviewVerdict {
  let answer: unknown;
  try {
    answer = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', problem: 'answer is not JSON' };
  }
  if (!isPlainObject(answer)) return { kind: 'invalid', problem: 'answer is not a JSON object' };

  let attributes: Record<string, string> | undefined;
  if (answer.Attributes !== undefined && answer.Attributes !== null) {
    const checked = attributesOf(answer.Attributes);
    if (typeof checked === 'string') return { kind: 'invalid', problem: checked };
    attributes = checked;
  }

  switch (answer.ReviewResult) {
    case 'DENY': {
      const reason = attributes?.Reason;
      return reason === undefined ? { kind: 'deny' } : { kind: 'deny', reason };
    }
    case 'ALLOW': {
      let content = request.Content;
      if (answer.Content !== undefined && answer.Content !== null) {
        if (typeof answer.Content !== 'string') return { kind: 'invalid', problem: 'Content must be a string' };
        const length = codePointLength(answer.Content);
        if (length < 1 || length > maximumMessageLength) {
          return { kind: 'invalid', problem: `Content must be 1 to ${maximumMessageLength} characters, got ${length}` };
        }
        content = answer.Content;
      }
      const delivered = attributes ?? request.Attributes;
      const rewritten = content !== request.Content || !sameAttributes(delivered, request.Attributes);
      return { kind: 'allow', content, attributes: delivered, rewritten };
    }
    default:
      return { kind: 'invalid', problem: `ReviewResult must be "ALLOW" or "DENY", got ${JSON.stringify(answer.ReviewResult)}` };
  }
}
