/**
 * Process plumbing for the runner: spawning children pinned to a core with `taskset`, and
 * reading a child's CPU time and resident memory from /proc (Linux).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Kernel clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export const TASKSET_AVAILABLE = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/**
 * Scheduling priority (nice value) given to the server and load-generator children. Other work
 * on a shared machine otherwise takes turns on the pinned cores and the step measures that.
 * With autogroup scheduling (Linux default on desktops and here) a nice value only ranks
 * processes inside one session, so each child gets its own session (detached) and that
 * session's autogroup gets the same nice value.
 */
let childNice = 0;
export function setChildNice(nice: number): string {
  childNice = nice;
  if (nice === 0) return 'children run at normal priority';
  try {
    setPriority(process.pid, nice);
    return `children run at nice ${nice} (process and autogroup)`;
  } catch (err) {
    childNice = 0;
    return `could not raise priority to nice ${nice} (${(err as Error).message}); children run at normal priority`;
  }
}

export type ChildRole = 'server' | 'loadgen';

/** `--profile ROLE`: that child runs with `node --cpu-prof` and writes its profile into `dir`. */
let profiled: { readonly role: ChildRole; readonly dir: string } | undefined;
export function profileChild(role: ChildRole, dir: string): void {
  profiled = { role, dir };
}

/**
 * Starts `node ...args` on CPU `core` when taskset works, else unpinned. `boost`: nice levels
 * above the other children (when priorities are set at all).
 */
export function spawnNode(role: ChildRole, core: number, args: readonly string[], options: SpawnOptions, boost = 0): ChildProcess {
  const nodeArgs = profiled?.role === role ? ['--cpu-prof', '--cpu-prof-dir', profiled.dir, ...args] : [...args];
  const detachedOptions: SpawnOptions = { ...options, detached: true };
  const child = TASKSET_AVAILABLE
    ? spawn('taskset', ['-c', String(core), process.execPath, ...nodeArgs], detachedOptions)
    : spawn(process.execPath, nodeArgs, detachedOptions);
  const pid = child.pid;
  if (pid !== undefined) {
    running.add(child);
    child.once('exit', () => running.delete(child));
    if (childNice !== 0) {
      const nice = Math.max(-20, childNice - boost);
      setPriority(pid, nice);
      try {
        writeFileSync(`/proc/${pid}/autogroup`, String(nice));
      } catch {
        // No autogroup support: the per-process nice value is all there is.
      }
    }
  }
  return child;
}

// Children live in their own sessions, so they would outlive a runner that dies: kill them.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

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

/**
 * Puts the main thread of `pid` (only that one: without chrt's -a, the thread whose id is the
 * pid) on SCHED_FIFO `priority`; the process should run V8 `--single-threaded`. Used for the
 * bench's review webhook (review-target.ts): even ten nice levels up it waited for the load
 * generator after 10–30 % of wake-ups at 1×1000. With V8's helper threads in the process a
 * real-time main thread stalled the load generator for ~1 s (the kernel's real-time throttling
 * period), most likely spinning on a helper pinned to the same core that could not run.
 */
export function setRealtime(pid: number, priority: number): string {
  const result = spawnSync('chrt', ['-f', '-p', String(priority), String(pid)], { encoding: 'utf8' });
  return result.status === 0
    ? `main thread on SCHED_FIFO ${priority}`
    : `could not set SCHED_FIFO ${priority} (${(result.stderr || result.error?.message || 'chrt failed').trim()}); nice levels only`;
}
