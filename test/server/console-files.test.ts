/**
 * GET /console: the built console's files from memory with their content types and cache
 * headers, index.html for /console and /console/, 404 for anything not built (traversal
 * included), the config the console reads first, and a clear answer when nothing is built.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

let dir: string;
let server: TestServer;
let unbuilt: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parlor-console-files-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  server = await startTestServer({ metricsToken: 'sesame' }, { consoleDir: dir });
  unbuilt = await startTestServer({}, { consoleDir: join(dir, 'nothing-here') });
});
after(async () => {
  await server.stop();
  await unbuilt.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request with the path sent as written (a URL would normalise `..` away). */
function get(s: TestServer, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.parlor.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/console and /console/ give index.html, revalidated on every load, never framed', async () => {
  for (const path of ['/console', '/console/', '/console/?x=1']) {
    const r = await get(server, path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.body, '<!doctype html><title>console</title>');
  }
});

test('hashed assets carry their type and are immutable; HEAD answers without a body', async () => {
  const js = await get(server, '/console/assets/index-abc123.js');
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.body, 'console.log(1)');
  const css = await get(server, '/console/assets/index-abc123.css');
  assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  const head = await get(server, '/console/assets/index-abc123.js', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], String('console.log(1)'.length));
  assert.equal(head.body, '');
});

test('unknown files and traversal attempts are 404, never a file outside the build', async () => {
  for (const path of ['/console/assets/nope.js', '/console/../package.json', '/console/%2e%2e/package.json', '/console/assets/..%2f..%2fpackage.json', '/console/%E0%A4%A', '/console//etc/passwd']) {
    const r = await get(server, path);
    assert.equal(r.status, 404, path);
    assert.equal(r.body, 'Not found', path);
    assert.equal(r.headers['cache-control'], 'no-store');
  }
});

test('/console/config.json tells the console the auth mode, region, node and whether metrics need a token', async () => {
  const r = await get(server, '/console/config.json');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(r.body), { auth: 'open', region: 'us-east-1', mode: 'embedded', node: server.parlor.nodeId, metricsToken: true });
});

test('a server without a built console says how to build it', async () => {
  const r = await get(unbuilt, '/console');
  assert.equal(r.status, 404);
  assert.match(r.body, /npm run build/);
  const config = await get(unbuilt, '/console/config.json');
  assert.equal(config.status, 200);
});

test('paths that only start like /console are still the control plane', async () => {
  const r = await get(server, '/consoles');
  assert.equal(r.status, 400);
  assert.equal(r.headers['x-amzn-errortype'], 'ValidationException');
  const post = await get(server, '/console', 'POST');
  assert.notEqual(post.status, 200);
});
