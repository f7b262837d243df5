import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenLedger } from '../../src/chat/token-ledger.js';
import type { ChatTokenClaims } from '../../src/domain/chat-token.js';

const claims = (tokenId: string, tokenExpiresAt: number): ChatTokenClaims => ({
  tokenId,
  roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEf123456',
  userId: 'u',
  capabilities: [],
  attributes: {},
  tokenExpiresAt,
  sessionExpiresAt: tokenExpiresAt,
});

test('a token id redeems once and is forgotten after its token expired', () => {
  const ledger = new TokenLedger();
  assert.equal(ledger.redeem(claims('a', 10_000)), true);
  assert.equal(ledger.redeem(claims('a', 10_000)), false);
  assert.equal(ledger.redeem(claims('b', 60_000)), true);
  ledger.sweep(9_000);
  assert.equal(ledger.size, 2);
  ledger.sweep(11_000);
  assert.equal(ledger.size, 1, 'only the expired id is forgotten');
  assert.equal(ledger.redeem(claims('b', 60_000)), false);
});
