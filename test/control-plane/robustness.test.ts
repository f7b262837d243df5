/**
 * Bad input never gets a 500, a hang or a crash: random JSON bodies (model member names with
 * random values, plus random members) to every control-plane operation always get a defined
 * AWS answer, and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CONTROL_PLANE_HANDLERS } from '../../src/control-plane/handlers.js';
import { OPERATIONS, SHAPES, type OperationName } from '../../src/protocol/generated/model.js';
import type { OperationDef, ShapeDef } from '../../src/protocol/model-types.js';
import { serverPerFile } from '../helpers/server.js';
import { chars, lambdaArn, loggingArn, roomArn } from './fixtures.js';

const server = serverPerFile();

/** Values that sit on or near the model's edges, mixed with arbitrary JSON. */
const edgy = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('', chars(128), chars(129), roomArn(), loggingArn(), lambdaArn(170), lambdaArn(171), 'ALLOW', 'DENY', '😀'),
  fc.constantFrom(0, 1, 50, 51, 100, 101, 500, 501, -1, 1.5, 1e300, Number.MAX_SAFE_INTEGER),
  fc.dictionary(fc.string({ maxLength: 130 }), fc.oneof(fc.string({ maxLength: 260 }), fc.jsonValue()), { maxKeys: 55 }),
  fc.array(fc.oneof(fc.constantFrom(roomArn(), loggingArn()), fc.string()), { maxLength: 5 }),
);

function membersOf(op: OperationName): string[] {
  const def: OperationDef = OPERATIONS[op];
  const input = (SHAPES as Readonly<Record<string, ShapeDef>>)[def.input!]!;
  return Object.keys(input.members ?? {});
}

const ANSWERS = new Set([200, 204, 400, 402, 403, 404, 409]);

test('random inputs to every control-plane operation get a defined answer, never a 500', async () => {
  const ops = Object.keys(CONTROL_PLANE_HANDLERS) as OperationName[];
  const arbitrary = fc.record({
    op: fc.constantFrom(...ops),
    /** Members the model does not know. */
    extra: fc.dictionary(fc.string({ maxLength: 20 }), edgy, { maxKeys: 3 }),
    /** Values for the model's members, in member order. */
    values: fc.array(edgy, { maxLength: 6 }),
  });
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ op, extra, values }) => {
      const def: OperationDef = OPERATIONS[op];
      const members = membersOf(op);
      const input: Record<string, unknown> = { ...extra };
      members.forEach((m, i) => {
        if (i < values.length && values[i] !== undefined) input[m] = values[i];
      });
      const label = typeof input['resourceArn'] === 'string' ? encodeURIComponent(input['resourceArn']) : 'x';
      const path = def.uri.replace('{resourceArn}', label);
      const query = op === 'UntagResource' && Array.isArray(input['tagKeys']) ? `?${(input['tagKeys'] as unknown[]).map((k) => `tagKeys=${encodeURIComponent(String(k))}`).join('&')}` : '';
      const res = await fetch(server.parlor.endpoint + path + query, {
        method: def.method,
        headers: { 'content-type': 'application/json' },
        ...(def.method === 'GET' ? {} : { body: JSON.stringify(input) }),
      });
      const text = await res.text();
      assert.ok(ANSWERS.has(res.status), `${op} ${JSON.stringify(input).slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`);
      if (res.status >= 400) assert.ok(res.headers.get('x-amzn-errortype'), 'errors are named');
    }),
    { numRuns: 600 },
  );
  assert.equal((await fetch(`${server.parlor.endpoint}/healthz`)).status, 200);
});
