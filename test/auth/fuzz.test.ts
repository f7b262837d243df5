/**
 * Fuzzing of what the signature check reads first: thousands of malformed Authorization
 * headers, x-amz-date values and request bodies. Every answer is an AWS error (4xx, error type
 * header, JSON body with a message) — never a 500, a hang or a crash — and the server is still
 * healthy afterwards.
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, test } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { ADMIN, ADMIN_ACCOUNT, assertAwsError, credential, send, sendSigned, sign, startEnforced, type Signed } from './support.js';

/** Runs per property, and a time bound so a slow machine still finishes. */
const RUNS = 1000;
const LIMIT_MS = 25_000;
/** Fewer runs than this means the property hardly ran: the test says so instead of passing. */
const MIN_RUNS = 100;

let server: TestServer;
let endpoint: string;
let agent: Agent;
let valid: Signed;
before(async () => {
  server = await startEnforced({ accounts: [{ id: ADMIN_ACCOUNT, credentials: [credential(ADMIN)] }] });
  endpoint = server.parlor.endpoint;
  agent = new Agent({ keepAlive: true, maxSockets: 4 });
  valid = await sign(endpoint, { method: 'POST', path: '/ListRooms', body: '{}' });
});
after(async () => {
  agent?.destroy();
  await server?.stop();
});

/** Characters a header value may carry on the wire (visible ASCII, space, tab). */
const headerChar = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constant(0x09)).map((c) => String.fromCharCode(c));
const headerText = fc.string({ unit: headerChar, maxLength: 300 }).map((s) => s.trim());

/** `text` with `[start, start+length)` replaced by `insert`. */
function splice(text: string, start: number, length: number, insert: string): string {
  const at = start % (text.length + 1);
  return text.slice(0, at) + insert + text.slice(at + length);
}

async function runProperty<T>(arb: fc.Arbitrary<T>, check: (value: T) => Promise<void>): Promise<void> {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (value) => {
      runs++;
      await check(value);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: LIMIT_MS },
  );
  assert.ok(runs >= MIN_RUNS, `only ${runs} runs in ${LIMIT_MS} ms`);
}

const is4xx = (status: number) => status >= 400 && status < 500;

test('malformed Authorization headers are 4xx AWS errors', async () => {
  const original = valid.headers.authorization!;
  const authorization = fc.oneof(
    headerText,
    headerText.map((s) => `AWS4-HMAC-SHA256 ${s}`),
    fc.tuple(fc.nat(), fc.nat({ max: 40 }), headerText).map(([start, length, insert]) => splice(original, start, length, insert)),
    fc.tuple(headerText, headerText, headerText).map(([c, h, s]) => `AWS4-HMAC-SHA256 Credential=${c}, SignedHeaders=${h}, Signature=${s}`),
    // Signed header lists with names that exist on every object, or not in the request.
    fc.array(fc.constantFrom('constructor', '__proto__', 'tostring', 'valueof', 'host', 'x-amz-date', 'content-type', 'missing'), { minLength: 1, maxLength: 5 }).map((names) =>
      original.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${names.join(';')}`),
    ),
    fc.tuple(headerText, fc.constantFrom('20240101', '99999999', ''), headerText).map(
      ([key, date, region]) => `AWS4-HMAC-SHA256 Credential=${key}/${date}/${region}/ivschat/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    ),
  );
  await runProperty(authorization, async (value) => {
    const res = await sendSigned(endpoint, { ...valid, headers: { ...valid.headers, authorization: value } }, agent);
    if (value === original) return assert.equal(res.status, 200);
    assert.ok(is4xx(res.status), `${res.status} for ${JSON.stringify(value)}`);
    assertAwsError(res, res.status);
  });
});

test('malformed or wrong x-amz-date values are 4xx AWS errors', async () => {
  const date = fc.oneof(
    headerText,
    fc.date({ min: new Date('1970-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().replace(/[-:]|\.\d{3}/g, '')),
    // The right shape, with any digits: month 13, hour 99, day 00…
    fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 5, maxLength: 5 })).map(([year, [mo, d, h, mi, sec]]) => {
      const two = (n: number | undefined) => String(n).padStart(2, '0');
      return `${String(year).padStart(4, '0')}${two(mo)}${two(d)}T${two(h)}${two(mi)}${two(sec)}Z`;
    }),
  );
  await runProperty(date, async (value) => {
    const res = await sendSigned(endpoint, { ...valid, headers: { ...valid.headers, 'x-amz-date': value } }, agent);
    if (value === valid.headers['x-amz-date']) return assert.equal(res.status, 200);
    assert.ok(is4xx(res.status), `${res.status} for ${JSON.stringify(value)}`);
    assertAwsError(res, res.status);
  });
});

const OPERATION_PATHS = ['/CreateRoom', '/UpdateRoom', '/GetRoom', '/DeleteRoom', '/ListRooms', '/CreateLoggingConfiguration', '/UpdateLoggingConfiguration', '/CreateChatToken', '/SendEvent'];
const body = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.json({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('name', 'identifier', 'maximumMessageLength', 'tags', 'loggingConfigurationIdentifiers', 'roomIdentifier', 'userId', 'x'), fc.jsonValue({ maxDepth: 2 })).map((o) => JSON.stringify(o)),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
);

test('a body altered after signing is InvalidSignatureException; any body signed correctly is answered, never a 500', async () => {
  await runProperty(fc.tuple(fc.constantFrom(...OPERATION_PATHS), body, fc.boolean()), async ([path, text, tamper]) => {
    const signed = await sign(endpoint, { method: 'POST', path, body: tamper ? '{}' : text });
    const res = await sendSigned(endpoint, { ...signed, body: text, headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(text)) } }, agent);
    if (tamper && text !== '{}') return assertAwsError(res, 403, 'InvalidSignatureException');
    assert.ok(res.status < 500, `${res.status} for ${path} ${JSON.stringify(text)}`);
    if (res.status >= 400) assertAwsError(res, res.status);
  });
});

test('the server is still healthy after the fuzzing', async () => {
  const health = await send(endpoint, '/healthz', '', 'GET', {});
  assert.equal(health.status, 200);
  assert.deepEqual(JSON.parse(health.body), { status: 'ok' });
  const res = await sendSigned(endpoint, await sign(endpoint, { method: 'POST', path: '/ListRooms', body: '{}' }));
  assert.equal(res.status, 200);
});
