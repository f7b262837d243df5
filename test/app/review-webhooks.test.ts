/** PARLOR_REVIEW_WEBHOOKS parsing: both forms of entry, inline or from a file, and clear errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/app/config.js';
import { parseReviewWebhooks } from '../../src/app/review-webhooks.js';
import { startTestServer, tempDataDir } from '../helpers/server.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:moderate';
const ARN2 = 'arn:aws:lambda:eu-west-1:123456789012:function:other:live';

test('no value means no webhooks', () => {
  assert.equal(parseReviewWebhooks(undefined).size, 0);
});

test('inline JSON: a URL string (unsigned) or {url, secret} (signed)', () => {
  const targets = parseReviewWebhooks(
    JSON.stringify({ [ARN]: 'http://127.0.0.1:9000/review', [ARN2]: { url: 'https://hooks.example/r', secret: 'k' } }),
  );
  assert.deepEqual([...targets], [
    [ARN, { url: 'http://127.0.0.1:9000/review' }],
    [ARN2, { url: 'https://hooks.example/r', secret: 'k' }],
  ]);
});

test('a path reads the JSON from that file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parlor-hooks-'));
  try {
    const file = join(dir, 'hooks.json');
    writeFileSync(file, JSON.stringify({ [ARN]: { url: 'http://localhost/x' } }));
    assert.deepEqual([...parseReviewWebhooks(file)], [[ARN, { url: 'http://localhost/x' }]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const BAD: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['broken JSON', '{"a":', /not valid JSON/],
  ['a file that does not exist', '/nonexistent/hooks.json', /neither a JSON object nor a readable file/],
  ['a key that is not a function ARN', JSON.stringify({ 'arn:aws:s3:::bucket': 'http://x' }), /not a Lambda function ARN/],
  ['a non-http URL', JSON.stringify({ [ARN]: 'ftp://x/y' }), /must be http\(s\)/],
  ['a non-URL', JSON.stringify({ [ARN]: 'not a url' }), /is not a URL/],
  ['a number', JSON.stringify({ [ARN]: 5 }), /must map to a URL string/],
  ['an unknown member', JSON.stringify({ [ARN]: { url: 'http://x', secrets: 'k' } }), /unknown member\(s\) secrets/],
  ['an empty secret', JSON.stringify({ [ARN]: { url: 'http://x', secret: '' } }), /non-empty string/],
  ['a missing url', JSON.stringify({ [ARN]: { secret: 'k' } }), /url for .* must be a string/],
];

for (const [what, raw, message] of BAD) {
  test(`${what} is a ConfigError naming the problem`, () => {
    assert.throws(() => parseReviewWebhooks(raw), (err: unknown) => err instanceof ConfigError && message.test(err.message) && err.message.includes('PARLOR_REVIEW_WEBHOOKS'));
  });
}

test('Parlor refuses to start with a bad PARLOR_REVIEW_WEBHOOKS', async () => {
  const dataDir = tempDataDir();
  try {
    await assert.rejects(
      startTestServer({ dataDir, reviewWebhooks: '{"arn:aws:lambda:us-east-1:123456789012:function:f": "gopher://x"}' }),
      (err: unknown) => err instanceof ConfigError && /must be http\(s\)/.test(err.message),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
