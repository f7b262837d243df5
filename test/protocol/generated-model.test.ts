/**
 * The committed model tables are what the generator makes of the API model, and the runtime
 * operation map covers exactly the model's operations.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_MODEL_PATH, generate, OUTPUT_PATH } from '../../scripts/generate-model.js';
import { CONTROL_PLANE_HANDLERS, CHAT_HANDLERS } from '../../src/control-plane/handlers.js';
import { OPERATIONS, SHAPES } from '../../src/protocol/generated/model.js';

test(
  'src/protocol/generated/model.ts is up to date with the API model (run `npm run generate`)',
  () => {
    const expected = generate(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
    assert.ok(readFileSync(OUTPUT_PATH, 'utf8') === expected, 'the committed file differs from the generator output; run `npm run generate`');
  },
);

const EXPECTED_OPERATIONS = [
  'CreateChatToken',
  'CreateLoggingConfiguration',
  'CreateRoom',
  'DeleteLoggingConfiguration',
  'DeleteMessage',
  'DeleteRoom',
  'DisconnectUser',
  'GetLoggingConfiguration',
  'GetRoom',
  'ListLoggingConfigurations',
  'ListRooms',
  'ListTagsForResource',
  'SendEvent',
  'TagResource',
  'UntagResource',
  'UpdateLoggingConfiguration',
  'UpdateRoom',
];

test('OPERATIONS lists exactly the 17 operations of IVS Chat 2020-07-14', () => {
  assert.deepEqual(Object.keys(OPERATIONS).sort(), EXPECTED_OPERATIONS);
});

test('the handler map has a runnable handler for every operation and nothing else', () => {
  const handlers: Record<string, { run: unknown; resources: unknown }> = { ...CONTROL_PLANE_HANDLERS, ...CHAT_HANDLERS };
  assert.deepEqual(Object.keys(handlers).sort(), EXPECTED_OPERATIONS);
  for (const [name, h] of Object.entries(handlers)) {
    assert.equal(typeof h.run, 'function', `${name}.run`);
    assert.equal(typeof h.resources, 'function', `${name}.resources`);
  }
  const overlap = Object.keys(CONTROL_PLANE_HANDLERS).filter((k) => k in CHAT_HANDLERS);
  assert.deepEqual(overlap, []);
});

test('the tables carry the facts the validators rely on', () => {
  const { errors, ...untag } = OPERATIONS.UntagResource;
  assert.deepEqual(untag, { method: 'DELETE', uri: '/tags/{resourceArn}', status: 200, input: 'UntagResourceRequest', output: 'UntagResourceResponse' });
  assert.deepEqual([...errors].sort(), ['InternalServerException', 'ResourceNotFoundException', 'ValidationException']);
  assert.equal(OPERATIONS.DeleteRoom.status, 204);
  assert.equal(OPERATIONS.DeleteLoggingConfiguration.status, 204);
  assert.deepEqual([SHAPES.RoomMaxMessageLength.min, SHAPES.RoomMaxMessageLength.max], [1, 500]);
  assert.equal(SHAPES.ServiceQuotaExceededException.errorStatus, 402);
  assert.equal(SHAPES.DestinationConfiguration.union, true);
  assert.equal(SHAPES.Time.timestampFormat, 'iso8601');
});
