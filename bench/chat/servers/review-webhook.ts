/**
 * The instant review handler of the `parlor-review` bench target: a plain `node:http` webhook
 * that answers every review with `{"ReviewResult":"ALLOW"}` at once (no signature check, no
 * parsing beyond reading the body). Prints `{"port":N}` when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ANSWER = Buffer.from('{"ReviewResult":"ALLOW"}');
let reviews = 0;
// Longest gap between 5 ms ticks (ms): a stalled handler shows up as review timeouts in Parlor.
let worstLag = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  worstLag = Math.max(worstLag, now - last - 5);
  last = now;
}, 5).unref();

const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    reviews++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': ANSWER.length }).end(ANSWER);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => {
  console.error(JSON.stringify({ reviews, worstLagMs: Math.round(worstLag) }));
  process.exit(0);
});
