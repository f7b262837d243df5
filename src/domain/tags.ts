/** At most this many tags on one resource, counted after a TagResource merge. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** `current` with `added` merged over it (added keys win). */
export function mergeTags(current: Readonly<Record<string, string>>, added: Readonly<Record<string, string>>): Record<string, string> {
  return { ...current, ...added };
}

/** `current` without `keys`; keys that are absent are ignored (UntagResource is idempotent). */
export function removeTags(current: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  const next = { ...current };
  for (const k of keys) delete next[k];
  return next;
}
