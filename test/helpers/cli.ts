/**
 * Runs the real CLI (src/main.ts through tsx) as a child process and waits for it to print its
 * endpoint. Used by tests that need a process boundary: restarts, signals, kill -9.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY_TIMEOUT_MS = 90_000;

export interface CliProcess {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` as printed on the "control plane:" line. */
  readonly endpoint: string;
  /** Everything printed on stdout so far. */
  stdout(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The control-plane endpoint printed at start, or undefined while not printed yet. */
export function endpointIn(stdout: string): string | undefined {
  return /control plane:\s+(https?:\/\/\S+)/.exec(stdout)?.[1];
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, PARLOR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parlor did not print its endpoint within ${READY_TIMEOUT_MS} ms\nstdout: ${out}\nstderr: ${err}`));
    }, READY_TIMEOUT_MS);
    // Ready once the whole start-up banner is out: its last line names the authentication mode.
    const check = () => {
      const endpoint = endpointIn(out);
      if (!endpoint || !/authentication: .*\n/.test(out)) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({ child, endpoint, stdout: () => out, exited });
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`parlor exited (code ${code}, signal ${signal}) before it was ready\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}
