/**
 * PARLOR_REVIEW_WEBHOOKS: which Lambda function ARNs are reviewed by an HTTP webhook instead.
 * The value is a JSON object, or the path of a file holding one, mapping each function ARN to
 * either a URL string (unsigned requests) or `{"url": "...", "secret": "..."}` (signed with
 * HMAC-SHA256, docs/review.md). Checked at start; any problem is a ConfigError naming it.
 */
import { readFileSync } from 'node:fs';
import type { WebhookTarget } from '../review/webhook-message-reviewer.js';
import { ConfigError } from './config.js';

const NAME = 'PARLOR_REVIEW_WEBHOOKS / --review-webhooks';
/** The API model's LambdaArn shape, minus the empty string (a room without a handler). */
const FUNCTION_ARN = /^arn:aws:lambda:[a-z0-9-]+:[0-9]{12}:function:.+$/;
const MAX_ARN_LENGTH = 170;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseUrl(arn: string, value: unknown): string {
  if (typeof value !== 'string') throw new ConfigError(`${NAME}: the url for ${arn} must be a string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${NAME}: the url for ${arn} is not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${NAME}: the url for ${arn} must be http(s), got "${url.protocol}"`);
  }
  return value;
}

function parseTarget(arn: string, value: unknown): WebhookTarget {
  if (typeof value === 'string') return { url: parseUrl(arn, value) };
  if (!isObject(value)) throw new ConfigError(`${NAME}: ${arn} must map to a URL string or {"url", "secret"}`);
  const unknown = Object.keys(value).filter((k) => k !== 'url' && k !== 'secret');
  if (unknown.length > 0) throw new ConfigError(`${NAME}: ${arn} has unknown member(s) ${unknown.join(', ')} (allowed: url, secret)`);
  const url = parseUrl(arn, value.url);
  if (value.secret === undefined) return { url };
  if (typeof value.secret !== 'string' || value.secret.length === 0) {
    throw new ConfigError(`${NAME}: the secret for ${arn} must be a non-empty string`);
  }
  return { url, secret: value.secret };
}

/** `raw`: the configured value (undefined = no webhooks). */
export function parseReviewWebhooks(raw: string | undefined): ReadonlyMap<string, WebhookTarget> {
  if (raw === undefined) return new Map();
  let text = raw;
  if (!raw.trimStart().startsWith('{')) {
    try {
      text = readFileSync(raw, 'utf8');
    } catch (err) {
      throw new ConfigError(`${NAME}: "${raw}" is neither a JSON object nor a readable file (${(err as Error).message})`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${NAME}: not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(parsed)) throw new ConfigError(`${NAME}: must be a JSON object mapping function ARNs to webhooks`);
  const targets = new Map<string, WebhookTarget>();
  for (const [arn, value] of Object.entries(parsed)) {
    if (!FUNCTION_ARN.test(arn) || arn.length > MAX_ARN_LENGTH) {
      throw new ConfigError(`${NAME}: "${arn}" is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`);
    }
    targets.set(arn, parseTarget(arn, value));
  }
  return targets;
}
