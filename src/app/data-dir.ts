/**
 * The data directory is checked before anything opens in it, so a bad PARLOR_DATA_DIR stops
 * the start at once with a message naming the directory, the setting and what to do (and not
 * later with SQLite's "unable to open database file", or a hang on a pseudo filesystem).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, realpathSync, statfsSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { ConfigError } from './config.js';

const SETTING = 'PARLOR_DATA_DIR / --data-dir';

/** Kernel pseudo filesystems (statfs f_type), where files are not storage. */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x1cd1, 'devpts'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
]);
/** Trees that hold no storage whatever their filesystem (/dev is often a tmpfs). */
const PSEUDO_TREES = ['/proc', '/sys', '/dev'];

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}` : String(err);
}

/** Creates `dir` if needed and checks it is a writable directory on a real filesystem; throws ConfigError. */
export function prepareDataDir(dir: string): void {
  const absolute = resolve(dir);
  const under = PSEUDO_TREES.find((tree) => absolute === tree || absolute.startsWith(tree + sep));
  if (under) throw new ConfigError(`${SETTING}: ${absolute} is under ${under}, which is not storage; choose a directory on a disk, e.g. /var/lib/parlor`);
  try {
    if (!statSync(absolute).isDirectory()) throw new ConfigError(`${SETTING}: ${absolute} exists but is not a directory; choose a directory (it is created when missing)`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
  }
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (err) {
    throw new ConfigError(`${SETTING}: cannot create the data directory ${absolute} (${reason(err)}); create it yourself with rights for this user, or choose another`);
  }
  let real: string;
  try {
    real = realpathSync(absolute);
    if (!statSync(real).isDirectory()) throw new ConfigError(`${SETTING}: ${absolute} exists but is not a directory; choose a directory`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${SETTING}: cannot read ${absolute} (${reason(err)})`);
  }
  const realUnder = PSEUDO_TREES.find((tree) => real === tree || real.startsWith(tree + sep));
  const fsName = realUnder ?? PSEUDO_FILESYSTEMS.get(statfsSync(real).type);
  if (fsName) throw new ConfigError(`${SETTING}: ${absolute} is on ${fsName}, which is not storage; choose a directory on a disk, e.g. /var/lib/parlor`);
  const probe = join(real, `.write-check-${process.pid}`);
  try {
    const fd = openSync(probe, 'w', 0o600);
    try {
      writeSync(fd, 'parlor');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    unlinkSync(probe);
  } catch (err) {
    throw new ConfigError(
      `${SETTING}: cannot write in the data directory ${absolute} (${reason(err)}); ` +
        `give this user (uid ${process.getuid?.() ?? '?'}) write access to it, or choose another directory`,
    );
  }
}
