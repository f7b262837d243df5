import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A fresh 12-character `[a-zA-Z0-9]` id, the format of room, logging-configuration, message
 * and event ids. Drawn from a CSPRNG: 62^12 ≈ 3.2e21 values, so collisions are not a concern.
 */
export function newId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
