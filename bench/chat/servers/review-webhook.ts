/**
 * The instant review handler of the `parlor-review` bench target: a plain `node:http` webhook
 * that answers every review with `{"ReviewResult":"ALLOW"}` at once (no signature check, no
 * parsing beyond reading the body). Prints `{"port":N}` when listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ANSWER = Buffer.from('{"ReviewResult":"ALLOW"}');
let reviews = 0;

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
  console.log(JSON.stringify({ reviews }));
  process.exit(0);
});
