/**
 * A read-only set of built files served under one URL prefix (the web console under
 * `/console`). The folder is read once, at start, into memory: a request can only ever name a
 * file that was listed then, so no request path reaches the file system (no traversal, no
 * symlink surprises) and a rebuild needs a restart. The built console is about 1 MB.
 *
 * Caching: Vite names everything under `assets/` by its content hash, so those are immutable
 * for a year; every other file (index.html, config) must be revalidated on each load so a new
 * build is picked up at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Content types of what a Vite build emits; anything else is served as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Files larger than this are not loaded (a build never makes one; a stray file should not eat memory). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface StaticFile {
  readonly status: 200 | 404;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export class StaticFiles {
  readonly #files = new Map<string, StaticFile>();
  readonly #notFound: StaticFile;

  /**
   * `dir`: the built folder (missing = nothing built, every path answers `missingBody`).
   * `securityHeaders`: added to every answer (e.g. the console's Content-Security-Policy).
   */
  constructor(
    readonly prefix: string,
    dir: string,
    securityHeaders: Readonly<Record<string, string>>,
    missingBody = 'Not found',
  ) {
    const base = { 'x-content-type-options': 'nosniff', ...securityHeaders };
    for (const rel of listFiles(dir)) {
      const body = readFileSync(join(dir, rel));
      const immutable = rel.startsWith('assets/');
      this.#files.set(rel, {
        status: 200,
        headers: {
          ...base,
          'content-type': CONTENT_TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
        body,
      });
    }
    const text = this.#files.size === 0 ? missingBody : 'Not found';
    this.#notFound = { status: 404, headers: { ...base, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: Buffer.from(text) };
  }

  /** Whether the folder held any file at start. */
  get built(): boolean {
    return this.#files.size > 0;
  }

  /**
   * The answer to GET `rawPath` (without query), or undefined when the path is not under the
   * prefix. `<prefix>` and `<prefix>/` give index.html; an unknown file under it gives 404.
   */
  answer(rawPath: string): StaticFile | undefined {
    if (rawPath !== this.prefix && !rawPath.startsWith(`${this.prefix}/`)) return undefined;
    let rel: string;
    try {
      rel = decodeURIComponent(rawPath.slice(this.prefix.length + 1));
    } catch {
      return this.#notFound;
    }
    if (rel === '') rel = 'index.html';
    return this.#files.get(rel) ?? this.#notFound;
  }
}

/** Every regular file under `dir`, as `/`-separated paths relative to it ([] when `dir` is missing). */
function listFiles(dir: string, rel = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, rel));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = rel === '' ? name : `${rel}/${name}`;
    const stat = statSync(join(dir, path));
    if (stat.isDirectory()) return listFiles(dir, path);
    return stat.isFile() && stat.size <= MAX_FILE_BYTES ? [path] : [];
  });
}
