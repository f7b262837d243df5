/**
 * Shared pieces of the auth tests: an auth file on disk, a server enforcing it, and raw HTTP
 * requests signed with @smithy/signature-v4 (so tests can alter them after signing).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request as httpRequest, type Agent } from 'node:http';
import { join } from 'node:path';
import type { Config } from '../../src/app/config.js';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server.js';

export interface KeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** An auth-file credential entry. (Built afresh: the SDK writes bookkeeping into credential objects it is given.) */
export function credential(keys: KeyPair, policy?: unknown): Record<string, unknown> {
  return { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, ...(policy === undefined ? {} : { policy }) };
}

export const ADMIN: KeyPair = { accessKeyId: 'AKIAPARLORADMIN0', secretAccessKey: 'admin-secret-0123456789abcdef' };
export const ADMIN_ACCOUNT = '111111111111';

/** Writes `content` as the auth file into the data directory (fresh unless given) and starts a server enforcing it. */
export async function startEnforced(content: unknown, overrides: Partial<Config> = {}): Promise<TestServer> {
  const dir = overrides.dataDir ?? tempDataDir();
  const authFile = join(dir, 'auth.json');
  writeFileSync(authFile, JSON.stringify(content));
  const server = await startTestServer({ ...overrides, authFile, dataDir: dir });
  assert.equal(server.parlor.authMode, 'enforced');
  return server;
}

/**
 * An enforcing server with two keys of ADMIN_ACCOUNT: ADMIN (no policy) and `denied`, allowed
 * every `ivschat:` action but `deniedActions` (on every resource).
 */
export function startWithDeniedKey(denied: KeyPair, deniedActions: string | readonly string[], overrides: Partial<Config> = {}): Promise<TestServer> {
  const policy = {
    Statement: [
      { Effect: 'Allow', Action: 'ivschat:*', Resource: '*' },
      { Effect: 'Deny', Action: deniedActions, Resource: '*' },
    ],
  };
  return startEnforced({ accounts: [{ id: ADMIN_ACCOUNT, credentials: [credential(ADMIN), credential(denied, policy)] }] }, overrides);
}

export interface RawRequest {
  readonly method: string;
  /** Path as it goes on the wire (percent-encoded). */
  readonly path: string;
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends exactly the given path, query string, headers and body (a new connection unless `agent`). */
export function send(endpoint: string, path: string, rawQuery: string, method: string, headers: Record<string, string>, body = '', agent?: Agent): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path: rawQuery ? `${path}?${rawQuery}` : path, headers, agent: agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function encodeQuery(query: Record<string, string | string[] | null>): string {
  return Object.entries(query)
    .filter((e): e is [string, string | string[]] => e[1] !== null)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`))
    .join('&');
}

/** A request signed by the JS SDK's signer, ready to send or to alter first. */
export interface Signed {
  readonly path: string;
  readonly rawQuery: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function signerOf(keys: KeyPair, region: string): SignatureV4 {
  return new SignatureV4({ service: 'ivschat', region, credentials: keys, sha256: Sha256 });
}

function unsignedRequest(endpoint: string, r: RawRequest): HttpRequest {
  const url = new URL(endpoint);
  const body = r.body ?? '';
  return new HttpRequest({
    method: r.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: r.path,
    query: r.query ?? {},
    headers: {
      host: url.host,
      ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...r.headers,
    },
    body,
  });
}

/** Signs in the Authorization-header form at `signingDate`. */
export async function sign(endpoint: string, r: RawRequest, keys: KeyPair = ADMIN, region = 'us-east-1', signingDate = new Date()): Promise<Signed> {
  const signed = await signerOf(keys, region).sign(unsignedRequest(endpoint, r), { signingDate });
  return { path: r.path, rawQuery: encodeQuery(r.query ?? {}), method: r.method, headers: signed.headers, body: r.body ?? '' };
}

/** Signs in the presigned query-string form. */
export async function presign(endpoint: string, r: RawRequest, keys: KeyPair = ADMIN, region = 'us-east-1', expiresIn = 300, signingDate = new Date()): Promise<Signed> {
  const signed = await signerOf(keys, region).presign(unsignedRequest(endpoint, r), { signingDate, expiresIn });
  return { path: r.path, rawQuery: encodeQuery(signed.query ?? {}), method: r.method, headers: signed.headers, body: r.body ?? '' };
}

export function sendSigned(endpoint: string, s: Signed, agent?: Agent): Promise<RawResponse> {
  return send(endpoint, s.path, s.rawQuery, s.method, s.headers, s.body, agent);
}

/** Asserts an AWS error response: status, `x-amzn-ErrorType` header and a JSON body with a message. */
export function assertAwsError(res: RawResponse, status: number, name?: string): void {
  assert.equal(res.status, status, `status ${res.status}: ${res.body}`);
  const type = res.headers['x-amzn-errortype'];
  assert.equal(typeof type, 'string');
  const body = JSON.parse(res.body) as { __type?: string; message?: string };
  assert.equal(body.__type, type);
  assert.equal(typeof body.message, 'string');
  if (name) assert.equal(type, name);
}
