/**
 * Start-up problems stop the process at once with a message naming what is wrong, where (the
 * file or directory), the setting, and what to do — never a hang or a bare library error.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startCli } from '../helpers/cli.js';
import { tempDataDir } from '../helpers/server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts the CLI expecting it to refuse; resolves to its stderr (the start is timed). */
async function refusal(args: string[]): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  try {
    await startCli(['--port', '0', ...args]);
  } catch (err) {
    return { message: (err as Error).message, ms: Date.now() - started };
  }
  throw new Error(`parlor started with ${args.join(' ')}`);
}

test('a data directory under /proc is refused at once, naming the setting and the directory', async () => {
  const { message, ms } = await refusal(['--data-dir', '/proc/self/parlor']);
  assert.match(message, /exited \(code 1/);
  assert.match(message, /PARLOR_DATA_DIR \/ --data-dir: \/proc\/self\/parlor is under \/proc, which is not storage/);
  assert.ok(ms < 60_000, `refused after ${ms} ms`);
});

test('a data directory that is a file, or below a file, is refused with what to do', async () => {
  const dir = tempDataDir();
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  assert.match((await refusal(['--data-dir', file])).message, /PARLOR_DATA_DIR.*a-file exists but is not a directory/s);
  assert.match((await refusal(['--data-dir', join(file, 'sub')])).message, /PARLOR_DATA_DIR.*cannot create the data directory .*a-file\/sub \(ENOTDIR/s);
});

const root = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;

/** As root, the CLI runs as `nobody` (setpriv), for whom a root-owned 0755 directory is not writable. */
function runAsNobody(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', join(ROOT, 'src', 'main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, PARLOR_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

test(
  'an unwritable data directory is refused naming the directory, the setting and the user',
  { skip: root && !setpriv ? 'running as root without setpriv: permissions do not stop root from writing' : false },
  async () => {
    const dir = join(tempDataDir(), 'locked');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, '..'), 0o755);
    let message: string;
    if (root) {
      const out = await runAsNobody(['--port', '0', '--data-dir', dir]);
      assert.equal(out.code, 1, out.stderr);
      message = out.stderr;
    } else {
      chmodSync(dir, 0o500);
      message = (await refusal(['--data-dir', dir])).message;
    }
    assert.match(message, /PARLOR_DATA_DIR \/ --data-dir: cannot write in the data directory .*locked \(EACCES/);
    assert.match(message, /give this user \(uid \d+\) write access/);
  },
);
