import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuthFile } from '../../src/auth/auth-file.js';
import { compilePolicy, type Policy } from '../../src/auth/policy.js';

const ROOM = 'arn:aws:ivschat:us-east-1:111111111111:room/abcdEFGH1234';
const OTHER_ROOM = 'arn:aws:ivschat:us-west-2:111111111111:room/zzzzZZZZ9999';
const LOG = 'arn:aws:ivschat:us-east-1:111111111111:logging-configuration/LOGabc123456';

/** Compiles the policy through the auth-file parser, so the JSON grammar is exercised too. */
function decide(policy: unknown) {
  const file = parseAuthFile({
    accounts: [{ id: '111111111111', credentials: [{ accessKeyId: 'AKIATEST', secretAccessKey: 'x'.repeat(16), policy }] }],
  });
  return compilePolicy(file.accounts[0]!.credentials[0]!.policy);
}

test('no policy allows everything; a policy without a matching Allow denies', () => {
  assert.equal(compilePolicy(undefined)('ivschat:DeleteRoom', ROOM), true);
  const p: Policy = { statements: [{ effect: 'Allow', actions: ['ivschat:GetRoom'], resources: ['*'] }] };
  assert.equal(compilePolicy(p)('ivschat:GetRoom', ROOM), true);
  assert.equal(compilePolicy(p)('ivschat:DeleteRoom', ROOM), false);
});

test('an explicit Deny wins over an Allow, whatever the order of statements', () => {
  for (const order of [0, 1]) {
    const statements = [
      { Effect: 'Allow', Action: 'ivschat:*', Resource: '*' },
      { Effect: 'Deny', Action: 'ivschat:UpdateRoom', Resource: ROOM },
    ];
    const isAllowed = decide({ Statement: order ? statements.reverse() : statements });
    assert.equal(isAllowed('ivschat:UpdateRoom', ROOM), false);
    assert.equal(isAllowed('ivschat:UpdateRoom', OTHER_ROOM), true);
    assert.equal(isAllowed('ivschat:GetRoom', ROOM), true);
  }
});

test('actions match case-insensitively, resources case-sensitively', () => {
  const isAllowed = decide({ Statement: { Effect: 'Allow', Action: 'IVSCHAT:getroom', Resource: ROOM } });
  assert.equal(isAllowed('ivschat:GetRoom', ROOM), true);
  assert.equal(isAllowed('ivschat:GetRoom', ROOM.toUpperCase()), false);
  assert.equal(isAllowed('ivschat:GetRoom', ROOM.replace('abcd', 'ABCD')), false);
});

test('* matches any run of characters (":" and "/" too), ? exactly one', () => {
  const isAllowed = decide({
    Statement: [
      { Effect: 'Allow', Action: ['ivschat:Get*', 'ivschat:List*'], Resource: 'arn:aws:ivschat:*:111111111111:room/*' },
      { Effect: 'Allow', Action: 'ivschat:?pdateLoggingConfiguration', Resource: 'arn:aws:ivschat:us-east-1:111111111111:logging-configuration/LOGabc12345?' },
    ],
  });
  assert.equal(isAllowed('ivschat:GetRoom', ROOM), true);
  assert.equal(isAllowed('ivschat:GetRoom', OTHER_ROOM), true);
  assert.equal(isAllowed('ivschat:ListRooms', '*'), false, 'room/* does not match the resource * of lists');
  assert.equal(isAllowed('ivschat:GetLoggingConfiguration', LOG), false);
  assert.equal(isAllowed('ivschat:UpdateLoggingConfiguration', LOG), true);
  assert.equal(isAllowed('ivschat:UpdateLoggingConfiguration', `${LOG}7`), false, '? is exactly one character');
  assert.equal(isAllowed('ivschat:XUpdateLoggingConfiguration', LOG), false);
  assert.equal(isAllowed('ivschat:UpdateRoom', ROOM), false);
});

test('regular-expression characters in patterns are literal', () => {
  const isAllowed = decide({ Statement: { Effect: 'Allow', Action: 'ivschat:GetRoom', Resource: 'arn:aws:ivschat:us-east-1:111111111111:room/a.c' } });
  assert.equal(isAllowed('ivschat:GetRoom', 'arn:aws:ivschat:us-east-1:111111111111:room/a.c'), true);
  assert.equal(isAllowed('ivschat:GetRoom', 'arn:aws:ivschat:us-east-1:111111111111:room/abc'), false);
});

test('actions of other services never match ivschat actions', () => {
  const isAllowed = decide({ Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } });
  assert.equal(isAllowed('ivschat:GetRoom', ROOM), false);
});
