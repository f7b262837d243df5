/**
 * The Authenticator port's contract, run against every implementation: a request signed by a
 * configured key acts in the region its signature names, in the implementation's account, and
 * a key without a policy may do everything there.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Authenticator, SignedRequest } from '../../src/auth/authenticator.js';
import { parseAuthFile } from '../../src/auth/auth-file.js';
import { FileAuthenticator } from '../../src/auth/file-authenticator.js';
import { OpenAuthenticator } from '../../src/auth/open-authenticator.js';

const KEY = { accessKeyId: 'AKIACONTRACT', secretAccessKey: 'contract-secret-0123456789' };
const ACCOUNT = '444444444444';

const IMPLEMENTATIONS: Record<string, () => Authenticator> = {
  open: () => new OpenAuthenticator(ACCOUNT, 'us-east-1'),
  file: () => new FileAuthenticator(parseAuthFile({ accounts: [{ id: ACCOUNT, credentials: [{ ...KEY }] }] })),
};

async function signedRequest(region: string, path: string, body: string): Promise<SignedRequest> {
  const signer = new SignatureV4({ service: 'ivschat', region, credentials: { ...KEY }, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'http:', hostname: 'localhost', port: 4577, path, headers: { host: 'localhost:4577', 'content-type': 'application/json' }, body }),
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: 'POST', rawPath: path, rawQuery: '', headers, body: Buffer.from(body) };
}

for (const [name, make] of Object.entries(IMPLEMENTATIONS)) {
  describe(`Authenticator contract: ${name}`, () => {
    test('a signed request acts in the signature\'s region and the configured account', async () => {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const caller = await make().authenticate(await signedRequest(region, '/GetRoom', '{}'));
        assert.deepEqual(caller.scope, { accountId: ACCOUNT, region });
        assert.equal(caller.pendingVerification, false);
      }
    });

    test('a key without a policy may do everything in its account', async () => {
      const caller = await make().authenticate(await signedRequest('us-east-1', '/DeleteRoom', '{}'));
      assert.equal(caller.isAllowed('ivschat:DeleteRoom', `arn:aws:ivschat:us-east-1:${ACCOUNT}:room/abcdEFGH1234`), true);
      assert.equal(caller.isAllowed('ivschat:CreateRoom', '*'), true);
    });

    test('the mode says whether signatures are checked', () => {
      assert.equal(make().mode, name === 'open' ? 'open' : 'enforced');
    });
  });
}
