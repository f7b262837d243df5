/** The envelope wire codec: what one node sends, the others decode or refuse (never throw). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '../../src/domain/envelope.js';
import { decodeEnvelope, encodeEnvelope } from '../../src/protocol/envelope-codec.js';

const room = {
  arn: 'arn:aws:ivschat:us-east-1:123456789012:room/abc',
  id: 'abc',
  accountId: '123456789012',
  region: 'us-east-1',
  name: 'n',
  createTime: 1,
  updateTime: 2,
  maximumMessageRatePerSecond: 10,
  maximumMessageLength: 500,
  messageReviewHandler: undefined,
  tags: { a: 'b' },
  loggingConfigurationIdentifiers: [],
};

test('every kind survives encode → decode, with its origin', () => {
  const envelopes: Envelope[] = [
    { kind: 'deliver', roomArn: room.arn, frame: '{"Type":"MESSAGE","Content":"\\u2028 ☃"}' },
    { kind: 'disconnect-user', roomArn: room.arn, userId: 'u', frame: '{}' },
    { kind: 'room-updated', roomArn: room.arn, room },
    { kind: 'room-updated', roomArn: room.arn, room: { ...room, messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:f', fallbackResult: 'DENY' } } },
    { kind: 'room-deleted', roomArn: room.arn, room, frame: '{}' },
    { kind: 'bans-changed', roomArn: room.arn, userId: 'u' },
  ];
  for (const envelope of envelopes) {
    const decoded = decodeEnvelope(encodeEnvelope('node-1', envelope));
    assert.deepEqual(decoded, { ok: true, value: { from: 'node-1', envelope: JSON.parse(JSON.stringify(envelope)) } });
  }
});

test('malformed wire texts are refused with a reason, never thrown', () => {
  const bad: [string, RegExp][] = [
    ['not json', /not JSON/],
    ['[]', /no origin/],
    ['{"envelope":{"kind":"deliver","roomArn":"r","frame":"f"}}', /no origin/],
    ['{"from":"n","envelope":{"kind":"explode","roomArn":"r"}}', /unknown kind/],
    ['{"from":"n","envelope":{"kind":"__proto__"}}', /unknown kind/],
    ['{"from":"n","envelope":{"kind":"deliver","roomArn":"r"}}', /deliver: frame/],
    ['{"from":"n","envelope":{"kind":"disconnect-user","roomArn":"r","userId":7,"frame":"f"}}', /userId/],
    [`{"from":"n","envelope":{"kind":"room-updated","roomArn":"r","room":${JSON.stringify({ ...room, maximumMessageLength: '500' })}}}`, /room\.maximumMessageLength/],
    [`{"from":"n","envelope":{"kind":"room-updated","roomArn":"r","room":${JSON.stringify({ ...room, tags: { a: 1 } })}}}`, /room\.tags/],
    ['{"from":"n","envelope":{"kind":"logging-configuration-deleted","configuration":null}}', /configuration/],
  ];
  for (const [text, reason] of bad) {
    const decoded = decodeEnvelope(text);
    assert.equal(decoded.ok, false, text);
    if (!decoded.ok) assert.match(decoded.reason, reason, text);
  }
});
