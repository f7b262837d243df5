/**
 * The instant review handler of the `parlor-review` bench target: a webhook that answers every
 * review with `{"ReviewResult":"ALLOW"}` at once (no signature check, no look at the body).
 * Prints `{"port":N}` when listening, and its review count and CPU per review when stopped
 * (SIGTERM).
 *
 * Plain `net` with the least HTTP/1.1 a keep-alive, pipelining client needs (Content-Length
 * bodies, answers in order, one write per read), not `node:http`: it shares the load
 * generator's core, and `node:http` took ~500 µs of it per review (5 % of the core at 100
 * reviews/s, with the generator at 90–95 %), which measured the bench's own crowding rather
 * than Parlor. A handler on another machine would cost the bench nothing.
 * No timers either: every wake-up interrupts the generator.
 */
import { createServer, type AddressInfo } from 'node:net';

const BODY = '{"ReviewResult":"ALLOW"}';
const ANSWER = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`, 'latin1');
const HEAD_END = Buffer.from('\r\n\r\n');
/** Requests bigger than this are not from Parlor's bench: the connection is closed. */
const MAX_REQUEST_BYTES = 64 * 1024;

let reviews = 0;
let cpuAtListen: NodeJS.CpuUsage | undefined;

/** Length of the complete request at the start of `buf`, 0 if incomplete, -1 if unusable. */
function requestLength(buf: Buffer): number {
  const end = buf.indexOf(HEAD_END);
  if (end < 0) return buf.length > MAX_REQUEST_BYTES ? -1 : 0;
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(buf.toString('latin1', 0, end));
  if (length === null) return -1;
  const total = end + HEAD_END.length + Number(length[1]);
  if (total > MAX_REQUEST_BYTES) return -1;
  return buf.length >= total ? total : 0;
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let answers = 0;
    for (;;) {
      const length = requestLength(pending);
      if (length < 0) {
        socket.destroy();
        return;
      }
      if (length === 0) break;
      answers++;
      pending = pending.subarray(length);
    }
    if (answers === 0) return;
    reviews += answers;
    socket.write(answers === 1 ? ANSWER : Buffer.concat(Array<Buffer>(answers).fill(ANSWER)));
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => {
  cpuAtListen = process.cpuUsage();
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  const cpu = process.cpuUsage(cpuAtListen);
  // CPU per review (µs) since listening: what the handler takes from the core it shares.
  const perReview = reviews > 0 ? Math.round((cpu.user + cpu.system) / reviews) : 0;
  console.error(JSON.stringify({ reviews, cpuUsPerReview: perReview }));
  process.exit(0);
});
