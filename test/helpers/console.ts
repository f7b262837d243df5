/**
 * Browser tests of the web console: the console built by Vite (once per content of its
 * sources, cached in the temp folder, so a clean clone needs no `npm run build` and a re-run
 * costs nothing), a Parlor serving that build, and one Chromium per test file (Debian's, via
 * playwright-core; skipped loudly when it is missing). Screenshots go to
 * test-output/console/ (gitignored) at a desktop and a phone size.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** A reason to skip (node:test prints it), or false when Chromium is there. */
export const skipWithoutChromium: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM}; install it with apt-get install -y chromium (.ci/run does)`;
if (skipWithoutChromium) console.warn(`SKIPPING the console's browser tests: ${skipWithoutChromium}`);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'console');

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** How long a test file waits for another one's build of the console before building its own. */
const BUILD_WAIT_MS = 60_000;

/** Everything the console bundle is made from. */
const SOURCES = ['console', 'src/client', 'src/protocol/generated', 'src/protocol/model-types.ts', 'package-lock.json'];

function filesOf(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesOf(join(path, name)));
}

/**
 * Builds the console into a folder named by the hash of its sources (reused when present).
 * Test files running side by side build it once: the first takes a lock folder, the others
 * wait for its result (or build themselves if it takes longer than BUILD_WAIT_MS).
 */
export async function builtConsole(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesOf)) hash.update(file).update(readFileSync(join(ROOT, file)));
  const dir = join(tmpdir(), `parlor-console-${hash.digest('hex').slice(0, 16)}`);
  const built = (): boolean => existsSync(join(dir, 'index.html'));
  if (built()) return dir;
  const lock = `${dir}.lock`;
  let locked = false;
  try {
    mkdirSync(lock);
    locked = true;
  } catch {
    for (const until = Date.now() + BUILD_WAIT_MS; Date.now() < until && !built(); ) await new Promise((r) => setTimeout(r, 100));
    if (built()) return dir;
  }
  const partial = `${dir}.partial-${process.pid}`;
  try {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'console', 'vite.config.ts'), logLevel: 'warn', build: { outDir: partial, emptyOutDir: true } });
    try {
      renameSync(partial, dir);
    } catch {
      // Another test file built the same sources first; its folder is as good.
      rmSync(partial, { recursive: true, force: true });
    }
  } finally {
    if (locked) rmSync(lock, { recursive: true, force: true });
  }
  return dir;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/**
 * A page that fails the test on any uncaught error or console error of the console itself.
 * The errors are collected; `assertClean` throws if there are any.
 */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  return { page, errors };
}

/** Full-page screenshots at desktop and phone size: `<name>-desktop.png`, `<name>-phone.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  // Lets layout (and charts that follow their box) settle at the new size.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}
