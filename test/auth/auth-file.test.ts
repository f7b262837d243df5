import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AuthFileError, loadAuthFile, parseAuthFile } from '../../src/auth/auth-file.js';
import { DEFAULTS } from '../../src/app/config.js';
import { startParlor } from '../../src/app/start.js';

const SECRET = 'very-secret-value-0123456789';
const cred = (accessKeyId: string, extra: Record<string, unknown> = {}) => ({ accessKeyId, secretAccessKey: SECRET, ...extra });
const file = (accounts: unknown[]) => ({ accounts });
const dir = mkdtempSync(join(tmpdir(), 'parlor-authfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function rejects(json: unknown, expected: string): void {
  assert.throws(
    () => parseAuthFile(json),
    (err: unknown) => {
      assert.ok(err instanceof AuthFileError);
      assert.equal(err.message, expected);
      assert.ok(!err.message.includes(SECRET), 'messages never carry a secret');
      return true;
    },
  );
}

test('a valid file is read, with defaults for pendingVerification and policy', () => {
  const parsed = parseAuthFile(file([
    { id: '111111111111', credentials: [cred('AKIAONE1')] },
    { id: '222222222222', pendingVerification: true, credentials: [cred('AKIATWO2', { policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'ivschat:Get*', Resource: '*' } } })] },
  ]));
  assert.equal(parsed.accounts[0]!.pendingVerification, false);
  assert.equal(parsed.accounts[0]!.credentials[0]!.policy, undefined);
  assert.equal(parsed.accounts[1]!.pendingVerification, true);
  assert.deepEqual(parsed.accounts[1]!.credentials[0]!.policy, { statements: [{ effect: 'Allow', actions: ['ivschat:Get*'], resources: ['*'] }] });
});

test('bad entries are rejected with a message naming them', () => {
  const ok = { id: '111111111111', credentials: [cred('AKIAONE1')] };
  const withPolicy = (policy: unknown) => file([ok, { id: '222222222222', credentials: [cred('AKIATWO2'), cred('AKIATHREE3', { policy })] }]);
  const statements = (bad: unknown) => withPolicy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' }, bad] });
  rejects([], 'auth file must be a JSON object');
  rejects({}, 'accounts must be a non-empty list');
  rejects({ accounts: [], extra: 1 }, 'auth file.extra is not a known member (expected accounts)');
  rejects(file([{ ...ok, id: '12345' }]), 'accounts[0].id must be a string of 12 digits');
  rejects(file([ok, { ...ok, credentials: [cred('AKIAOTHER')] }]), 'accounts[1].id repeats the id 111111111111 of accounts[0]');
  rejects(file([{ ...ok, pendingVerfication: true }]), 'accounts[0].pendingVerfication is not a known member (expected id, pendingVerification, credentials)');
  rejects(file([{ ...ok, pendingVerification: 'yes' }]), 'accounts[0].pendingVerification must be true or false');
  rejects(file([{ ...ok, credentials: [] }]), 'accounts[0].credentials must be a non-empty list');
  rejects(file([{ ...ok, credentials: [{ accessKeyId: 'AK/BAD', secretAccessKey: SECRET }] }]), 'accounts[0].credentials[0].accessKeyId must be 4 to 128 letters, digits or underscores');
  rejects(file([{ ...ok, credentials: [{ accessKeyId: 'AKIAONE1', secretAccessKey: 'short' }] }]), 'accounts[0].credentials[0].secretAccessKey must be a string of at least 16 characters');
  rejects(file([ok, { id: '222222222222', credentials: [cred('AKIATWO2'), cred('AKIAONE1')] }]), 'accounts[1].credentials[1].accessKeyId repeats the access key AKIAONE1 of accounts[0].credentials[0].accessKeyId');
  rejects(statements({ Effect: 'allow', Action: '*', Resource: '*' }), 'accounts[1].credentials[1].policy.Statement[2].Effect must be Allow or Deny');
  rejects(statements({ Effect: 'Allow', Resource: '*' }), 'accounts[1].credentials[1].policy.Statement[2].Action is required');
  rejects(statements({ Effect: 'Allow', Action: [], Resource: '*' }), 'accounts[1].credentials[1].policy.Statement[2].Action must be a string or a non-empty list of strings');
  rejects(statements({ Effect: 'Allow', Action: ['ivschat:GetRoom', 'GetRoom'], Resource: '*' }), 'accounts[1].credentials[1].policy.Statement[2].Action[1] must be "*" or "service:Action" (e.g. ivschat:GetRoom), got "GetRoom"');
  rejects(statements({ Effect: 'Allow', Action: '*', Resource: ['room/*'] }), 'accounts[1].credentials[1].policy.Statement[2].Resource[0] must be "*" or an ARN pattern, got "room/*"');
  rejects(statements({ Effect: 'Allow', Action: '*', Resource: '*', Condition: {} }), 'accounts[1].credentials[1].policy.Statement[2].Condition is not supported by Parlor');
  rejects(statements({ Effect: 'Allow', NotAction: '*', Resource: '*' }), 'accounts[1].credentials[1].policy.Statement[2].NotAction is not supported by Parlor');
  rejects(withPolicy({ Version: '2020-01-01', Statement: [] }), 'accounts[1].credentials[1].policy.Version must be 2012-10-17 or 2008-10-17');
  rejects(withPolicy({ Statement: [] }), 'accounts[1].credentials[1].policy.Statement must be a non-empty list');
  rejects(withPolicy({}), 'accounts[1].credentials[1].policy.Statement is required');
});

test('a file that is not JSON is reported by position, without quoting its text', () => {
  const path = join(dir, 'broken.json');
  writeFileSync(path, `{"accounts": [\n  {"id": "111111111111", "credentials": [{"accessKeyId": "AKIAONE1", "secretAccessKey": "${SECRET}",}]}]}`);
  assert.throws(() => loadAuthFile(path), (err: unknown) => {
    assert.ok(err instanceof AuthFileError);
    assert.match(err.message, /^the auth file .*broken\.json is not valid JSON( at line 2, column \d+)?$/);
    assert.ok(!err.message.includes(SECRET));
    return true;
  });
  assert.throws(() => loadAuthFile(join(dir, 'missing.json')), /cannot read the auth file .*missing\.json: ENOENT/);
});

test('Parlor refuses to start with a bad auth file and names the entry', async () => {
  const path = join(dir, 'bad.json');
  writeFileSync(path, JSON.stringify(file([{ id: '111111111111', credentials: [cred('AKIAONE1', { policy: { Statement: { Effect: 'Maybe', Action: '*', Resource: '*' } } })] }])));
  await assert.rejects(startParlor({ ...DEFAULTS, port: 0, logLevel: 'silent', dataDir: dir, authFile: path }), {
    name: 'Error',
    message: `the auth file ${path} is invalid: accounts[0].credentials[0].policy.Statement.Effect must be Allow or Deny`,
  });
});
