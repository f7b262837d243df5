/** The precomputed-pad HMAC agrees with node:crypto's createHmac, and a key is reusable. */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { HmacSha256Key } from '../../src/auth/hmac-sha256.js';

test('HMAC-SHA256 equals createHmac for keys up to 64 bytes and any message, call after call', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.string({ maxLength: 600, unit: 'binary' }), { minLength: 1, maxLength: 4 }), (key, messages) => {
      const mac = new HmacSha256Key(Buffer.from(key));
      for (const message of messages) {
        assert.equal(mac.hex(message), createHmac('sha256', Buffer.from(key)).update(message, 'utf8').digest('hex'));
      }
    }),
    { numRuns: 500 },
  );
});

test('keys longer than the block are refused rather than mis-handled', () => {
  assert.throws(() => new HmacSha256Key(Buffer.alloc(65)), RangeError);
});

test('messages of the same length, then longer (buffer grows), then shorter, each get their own MAC', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef');
  const mac = new HmacSha256Key(key);
  for (const message of ['a'.repeat(200), 'b'.repeat(200), 'é'.repeat(400), 'c'.repeat(10), '', 'a'.repeat(200)]) {
    assert.equal(mac.hex(message), createHmac('sha256', key).update(message, 'utf8').digest('hex'));
  }
});
