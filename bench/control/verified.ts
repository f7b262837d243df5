/**
 * The "SigV4 verification on" rows of `npm run bench:control`: Parlor started with an auth file
 * (enforced mode) whose key pair signs the requests, and the overhead against the open-mode row
 * of the same workload in the same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load.js';
import { parlorServer, type Credentials, type ServerSpec } from './servers.js';

export const VERIFIED_CREDENTIALS: Credentials = { accessKeyId: 'AKIABENCHVERIFIED', secretAccessKey: 'bench-verified-secret-0123456789' };

let authFile: string | undefined;

/** Writes the auth file once (removed when the process exits). */
function benchAuthFile(): string {
  if (authFile) return authFile;
  const dir = mkdtempSync(join(tmpdir(), 'parlor-bench-auth-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  authFile = join(dir, 'auth.json');
  const policy = { Statement: [{ Effect: 'Allow', Action: 'ivschat:*', Resource: '*' }] };
  writeFileSync(authFile, JSON.stringify({ accounts: [{ id: '123456789012', credentials: [{ ...VERIFIED_CREDENTIALS, policy }] }] }));
  return authFile;
}

/** Parlor in enforced mode: every request's signature is verified and its policy evaluated. */
export function verifiedParlorServer(): ServerSpec {
  return parlorServer({ args: ['--auth-file', benchAuthFile()], credentials: VERIFIED_CREDENTIALS });
}

export const OPEN_SUFFIX = '(open mode)';
export const VERIFIED_SUFFIX = '(SigV4 verified)';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

interface Pooled {
  readonly rps: number;
  readonly perCore: number;
  readonly p99: number;
}

/** Rows of one workload and mode (`… (open mode)`, `… (open mode) #2`) pooled: mean req/s, req/s per core, worst p99. */
function pool(rows: readonly (readonly [string, LoadResult])[], prefix: string): Pooled | undefined {
  const runs = rows.filter(([l]) => l === prefix || l.startsWith(`${prefix} #`)).map(([, r]) => r);
  if (runs.length === 0) return undefined;
  const requests = runs.reduce((sum, r) => sum + r.rps, 0);
  const cores = runs.reduce((sum, r) => sum + r.serverCores, 0);
  return { rps: requests / runs.length, perCore: requests / cores, p99: Math.max(...runs.map((r) => r.p99)) };
}

/** One line per workload that has both open and verified rows: the cost of verification. */
export function overheadLines(rows: readonly (readonly [string, LoadResult])[]): string[] {
  const lines: string[] = [];
  for (const [label] of rows) {
    if (!label.endsWith(OPEN_SUFFIX)) continue;
    const workload = label.slice(0, -OPEN_SUFFIX.length).trim();
    const open = pool(rows, label);
    const verified = pool(rows, `${workload} ${VERIFIED_SUFFIX}`);
    if (!open || !verified) continue;
    lines.push(
      `SigV4 verification overhead, ${workload}: ${pct(1 - verified.rps / open.rps)} of req/s ` +
        `(${open.rps.toFixed(0)} → ${verified.rps.toFixed(0)}), ${pct(1 - verified.perCore / open.perCore)} of req/s per server core ` +
        `(${open.perCore.toFixed(0)} → ${verified.perCore.toFixed(0)}), worst p99 ${open.p99.toFixed(2)} → ${verified.p99.toFixed(2)} ms`,
    );
  }
  return lines;
}
