/**
 * The size rule shared by token, message, event and review-answer attributes: at most 1 KB,
 * counted as the UTF-8 bytes of every key and value together.
 */
export const MAX_ATTRIBUTES_BYTES = 1024;

/** Total UTF-8 bytes of the keys and values of an attribute map. */
export function attributesBytes(attributes: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const key in attributes) n += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(attributes[key]!, 'utf8');
  return n;
}
