/**
 * Server processes for the control-plane benchmark, each started fresh per scenario and pinned
 * to one core. A ServerSpec says how to start one; a later scenario (e.g. SigV4 verification
 * on) is a new `parlorServer(...)` with other flags and the credentials to sign with.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const START_TIMEOUT_MS = 30_000;

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export type ServerSpec =
  /** Parlor's CLI with extra flags/environment; requests are signed with `credentials`. */
  | { readonly kind: 'parlor'; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly credentials: Credentials }
  /** bench/control/baseline-server.ts. */
  | { readonly kind: 'baseline' };

export const DUMMY_CREDENTIALS: Credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

/** Parlor in embedded mode, open authentication unless `args` say otherwise. */
export function parlorServer(options: { args?: string[]; env?: Record<string, string>; credentials?: Credentials } = {}): ServerSpec {
  return { kind: 'parlor', args: options.args ?? [], env: options.env ?? {}, credentials: options.credentials ?? DUMMY_CREDENTIALS };
}

export const BASELINE_SERVER: ServerSpec = { kind: 'baseline' };

export interface RunningServer {
  readonly endpoint: string;
  /** CPU seconds (user + system) the server process has used; NaN without /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return NaN;
  }
}

/** `taskset -c <core>` when taskset exists and the machine has that core; otherwise no pinning. */
export function pinning(core: number): string[] {
  const ok = spawnSync('taskset', ['-c', String(core), 'true'], { stdio: 'ignore' }).status === 0;
  return ok ? ['taskset', '-c', String(core)] : [];
}

/** Pins this process (all its threads) to `core`; false when that is not possible. */
export function pinSelf(core: number): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0;
}

export async function startServer(spec: ServerSpec, core: number): Promise<RunningServer> {
  const dataDir = spec.kind === 'parlor' ? mkdtempSync(join(tmpdir(), 'parlor-bench-')) : undefined;
  const node = [process.execPath, '--import', 'tsx'];
  const command =
    spec.kind === 'parlor'
      ? [...node, join(ROOT, 'src', 'main.ts'), '--port', '0', '--data-dir', dataDir!, '--log-level', 'warn', ...spec.args]
      : [...node, join(ROOT, 'bench', 'control', 'baseline-server.ts')];
  const [cmd, ...args] = [...pinning(core), ...command];
  const child = spawn(cmd!, args, {
    cwd: ROOT,
    env: { ...process.env, ...(spec.kind === 'parlor' ? spec.env : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await endpointOf(child);
  return {
    endpoint,
    cpuSeconds: () => cpuSecondsOf(child.pid),
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The first `http://127.0.0.1:<port>` the child prints, within a deadline. */
function endpointOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms: ${out}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready: ${out}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.resume();
        resolve(m[0]);
      }
    });
  });
}
