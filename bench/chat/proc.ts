/**
 * Process plumbing for the runner: spawning children pinned to a core with `taskset`, and
 * reading a child's CPU time and resident memory from /proc (Linux).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export const TASKSET_AVAILABLE = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

// A runner that is interrupted takes its children with it.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

/** Starts `node ...args` on CPU `core` when taskset works, else unpinned. */
export function spawnNode(core: number, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = TASKSET_AVAILABLE ? spawn('taskset', ['-c', String(core), process.execPath, ...args], options) : spawn(process.execPath, args, options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** utime + stime of `pid`, microseconds. taskset execs node, so the child pid is node's. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / CLK_TCK;
}

/** Resident set size of `pid`, bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** The soft open-files limit this process (and its children) runs with. */
export function openFilesLimit(): number {
  const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return match ? Number(match[1]) : 1024;
}

/** Resolves with the first stdout line matching `pattern` (its first group), or rejects. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output: ${seen.slice(-500)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        cleanup();
        resolve(match[1] ?? match[0]);
      }
    };
    const onExit = (code: number | null): void => fail(new Error(`exited (${code}) before ready; output: ${seen.slice(-500)}`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    const fail = (err: Error): void => {
      cleanup();
      reject(err);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
