/**
 * The verifier agrees with @smithy/signature-v4's own signer (the JS SDK's) on random requests —
 * odd paths, repeated and encoded query parameters, extra headers with inner whitespace, any
 * body, both the header and the presigned form — and rejects each of them once one signed part
 * is changed.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuthFile } from '../../src/auth/auth-file.js';
import type { SignedRequest } from '../../src/auth/authenticator.js';
import { FileAuthenticator } from '../../src/auth/file-authenticator.js';
import { InvalidSignatureException } from '../../src/domain/errors.js';

const KEY = { accessKeyId: 'AKIAEQUIVALENCE', secretAccessKey: 'equivalence-secret-0123456789' };
const auth = new FileAuthenticator(parseAuthFile({ accounts: [{ id: '666666666666', credentials: [{ ...KEY }] }] }));

/** Percent-encoding as the SDK puts labels and query parts on the wire. */
const wire = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const text = fc.string({ minLength: 1, maxLength: 20, unit: fc.oneof(fc.constantFrom('a', 'Z', '0', ':', '/', ' ', '%', '+', '~', '*', '=', '&', 'é', '😀'), fc.string({ minLength: 1, maxLength: 1 })) });
const headerValue = fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom('a', 'B', '1', ' ', '  ', '\t', ',', ';', '=', ' \t ') }).filter((v) => v.trim() !== '');

/** Segments the canonical form keeps as they are (the common control-plane path), and `.`/`..`. */
const plainSegment = fc.oneof(fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'Z', '0', '-', '_', '.', '~') }), fc.constantFrom('GetRoom', 'UpdateRoom', '.', '..'));

const requestArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE'),
  segments: fc.oneof(fc.array(text, { minLength: 1, maxLength: 3 }), fc.array(plainSegment, { minLength: 1, maxLength: 3 })),
  query: fc.oneof(fc.constant([]), fc.array(fc.tuple(text, fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 3 })), { maxLength: 3 })),
  headers: fc.dictionary(fc.stringMatching(/^x-custom-[a-z]{1,8}$/), headerValue, { maxKeys: 3 }),
  body: fc.string({ maxLength: 200 }),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
  presigned: fc.boolean(),
});

type Arb = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

async function signedRequest(r: Arb): Promise<SignedRequest> {
  const path = `/${r.segments.map(wire).join('/')}`;
  const query: Record<string, string | string[]> = {};
  for (const [name, values] of r.query) query[name] = values.length === 1 ? values[0]! : values;
  const signer = new SignatureV4({ service: 'ivschat', region: r.region, credentials: { ...KEY }, sha256: Sha256 });
  const unsigned = new HttpRequest({ method: r.method, protocol: 'http:', hostname: 'parlor.test', path, query, headers: { host: 'parlor.test:4577', ...r.headers }, body: r.body });
  const signed = r.presigned ? await signer.presign(unsigned, { expiresIn: 600 }) : await signer.sign(unsigned);
  const rawQuery = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${wire(k)}=${wire(String(x))}`))
    .join('&');
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: r.method, rawPath: path, rawQuery, headers, body: Buffer.from(r.body) };
}

async function rejected(request: SignedRequest): Promise<boolean> {
  try {
    await auth.authenticate(request);
    return false;
  } catch (err) {
    assert.ok(err instanceof InvalidSignatureException, String(err));
    return true;
  }
}

test('every request the JS SDK signer signs is accepted, in the region it names', async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      const caller = await auth.authenticate(await signedRequest(r));
      assert.equal(caller.scope.region, r.region);
    }),
    { numRuns: 400 },
  );
});

test('changing the method, path, query, a signed header or the body after signing is rejected', async () => {
  const part = fc.constantFrom('method', 'path', 'query', 'header', 'body');
  await fc.assert(
    fc.asyncProperty(requestArb, part, async (r, which) => {
      const s = await signedRequest(r);
      const altered: SignedRequest =
        which === 'method' ? { ...s, method: s.method === 'GET' ? 'PUT' : 'GET' }
        : which === 'path' ? { ...s, rawPath: `${s.rawPath}x` }
        : which === 'query' ? { ...s, rawQuery: s.rawQuery ? `${s.rawQuery}&zz=1` : 'zz=1' }
        : which === 'header' ? { ...s, headers: { ...s.headers, host: 'elsewhere.test:4577' } }
        : { ...s, body: Buffer.concat([s.body, Buffer.from('!')]) };
      assert.ok(await rejected(altered), `${which} changed but accepted`);
    }),
    { numRuns: 300 },
  );
});
