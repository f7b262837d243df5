/** The 15-minute rule at its edges, with the authenticator's clock moved instead of waiting. */
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

const KEY = { accessKeyId: 'AKIACLOCK', secretAccessKey: 'clock-secret-0123456789' };
const SIGNED_AT = Date.UTC(2026, 0, 31, 23, 55, 0);

async function request(presigned: boolean): Promise<SignedRequest> {
  const signer = new SignatureV4({ service: 'ivschat', region: 'us-east-1', credentials: { ...KEY }, sha256: Sha256 });
  const unsigned = new HttpRequest({ method: 'POST', protocol: 'http:', hostname: 'h', path: '/ListRooms', headers: { host: 'h' }, body: '{}' });
  const signingDate = new Date(SIGNED_AT);
  const signed = presigned ? await signer.presign(unsigned, { signingDate, expiresIn: 3600 }) : await signer.sign(unsigned, { signingDate });
  const rawQuery = Object.entries(signed.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  return { method: 'POST', rawPath: '/ListRooms', rawQuery, headers: signed.headers, body: Buffer.from('{}') };
}

async function answer(presigned: boolean, now: number): Promise<string> {
  const auth = new FileAuthenticator(parseAuthFile({ accounts: [{ id: '555555555555', credentials: [{ ...KEY }] }] }), () => now);
  try {
    await auth.authenticate(await request(presigned));
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof InvalidSignatureException, String(err));
    return err.wireName;
  }
}

const MINUTE = 60_000;

test('a signature is accepted up to 15 minutes either side of the server clock, not beyond', async () => {
  assert.equal(await answer(false, SIGNED_AT + 15 * MINUTE), 'ok');
  assert.equal(await answer(false, SIGNED_AT + 15 * MINUTE + 1000), 'InvalidSignatureException');
  assert.equal(await answer(false, SIGNED_AT - 15 * MINUTE), 'ok');
  assert.equal(await answer(false, SIGNED_AT - 15 * MINUTE - 1000), 'InvalidSignatureException');
});

test('a presigned request is valid until X-Amz-Expires, and not from more than 15 minutes ahead', async () => {
  assert.equal(await answer(true, SIGNED_AT + 59 * MINUTE), 'ok');
  assert.equal(await answer(true, SIGNED_AT + 61 * MINUTE), 'InvalidSignatureException');
  assert.equal(await answer(true, SIGNED_AT - 16 * MINUTE), 'InvalidSignatureException');
});

test('x-amz-date must be a real UTC instant in the form yyyymmddThhmmssZ', async () => {
  const { parseAmzDate } = await import('../../src/auth/sigv4-claim.js');
  assert.equal(parseAmzDate('20260131T235500Z'), SIGNED_AT);
  assert.equal(parseAmzDate('20240229T000000Z'), Date.UTC(2024, 1, 29));
  for (const bad of ['20230229T000000Z', '20260431T000000Z', '20261301T000000Z', '20260100T000000Z', '20260101T240000Z', '20260101T006000Z', '20260101T000060Z', '00500101T000000Z', '20260101T000000', '2026-01-01T00:00:00Z', '']) {
    assert.equal(parseAmzDate(bad), undefined, bad);
  }
});

test('parseAmzDate agrees with a Date round trip on random near-valid times', async () => {
  const { parseAmzDate } = await import('../../src/auth/sigv4-claim.js');
  const reference = (v: string): number | undefined => {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
    if (!m) return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
    const back = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? back.getTime() : undefined;
  };
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
  const near = fc
    .tuple(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), two(13), two(32), two(25), two(61), two(61), fc.constantFrom('T', 'Z', 'x'), fc.constantFrom('Z', 'T', '1'))
    .map(([y, mo, d, h, mi, s, t, z]) => `${y}${mo}${d}${t}${h}${mi}${s}${z}`);
  fc.assert(fc.property(fc.oneof(near, fc.string({ maxLength: 17 })), (v) => assert.equal(parseAmzDate(v), reference(v), v)), { numRuns: 5000 });
});
