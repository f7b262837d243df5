/**
 * A private PostgreSQL server for fault tests: `initdb` into a temporary directory and
 * `pg_ctl` on a free port on 127.0.0.1 (trust authentication, user `postgres`, fsync off —
 * nothing here needs to survive a power cut). The test may stop it, start it again, restart
 * it; cleanup() stops it and removes the directory (also done at process exit if forgotten).
 *
 * PostgreSQL refuses to run as root, so when the test runs as root (as in CI) the server's
 * programs run as the `postgres` system user, who owns the directory.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown (open connections are ended by the server); resolves once it is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it (immediately) and removes its directory. Idempotent. */
  cleanup(): Promise<void>;
}

/** Whether initdb and pg_ctl are on the PATH (fault tests skip, saying so, when not). */
export function privatePostgresAvailable(): boolean {
  return ['initdb', 'pg_ctl'].every((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0);
}

/** uid/gid to run the server's programs as: ours, or the postgres user's when we are root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'parlor-pg-'));
  const data = join(dir, 'data');
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const port = await freePort();
  const run = (program: string, args: readonly string[]) =>
    new Promise<void>((resolve, reject) => {
      execFile(program, args, { ...(user ?? {}), cwd: dir, timeout: 120_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${program} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(),
      );
    });
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off`;
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', serverOptions, '-w', '-t', '120', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '120', 'stop']);
  let running = false;
  let cleaned: Promise<void> | undefined;
  const atExit = (): void => {
    if (running) spawnSync('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'], { ...(user ?? {}) });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', atExit);

  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  await start();
  running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async restart() {
      await stop();
      running = false;
      await start();
      running = true;
    },
    cleanup() {
      cleaned ??= (async () => {
        process.off('exit', atExit);
        if (running) await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
        running = false;
        rmSync(dir, { recursive: true, force: true });
      })();
      return cleaned;
    },
  };
}
