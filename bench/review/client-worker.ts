/**
 * One client of bench/review/client-cpu.ts: `client-worker.ts PORT CLIENT B/T SECONDS`, CLIENT one
 * of `node-http`, `pool` (the hand-made Http1Pool), `undici` (Pool.request), `undici-pipelined`
 * (the same, up to 10 requests pipelined per connection), `undici-dispatch` (Pool.dispatch with a
 * bare handler, no response stream; up to 10 pipelined).
 * Prints one Markdown table row.
 */
import { Agent, request } from 'node:http';
import { Pool } from 'undici';
import { TurnEnd } from '../../src/lib/turn-end.js';
import { NEVER_CANCELLED } from '../../src/review/message-reviewer.js';
import { Http1Pool } from '../../src/review/http1-pool.js';
import { percentile } from '../percentile.js';

const [portText, client, burstText, secondsText] = process.argv.slice(2);
const port = Number(portText);
const [burst, every] = burstText!.split('/').map(Number) as [number, number];
const seconds = Number(secondsText);
const body = JSON.stringify({
  Content: 'P1.2.3.' + 'x'.repeat(33),
  MessageId: 'AbCdEfGh1234',
  RoomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl',
  Attributes: {},
  Sender: { UserId: 'user-1', Attributes: {}, Ip: '127.0.0.1' },
});

let send: () => Promise<unknown>;
if (client === 'node-http') {
  // As the webhook reviewer did before the pool: keep-alive agent, a request per review.
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 1024 });
  const url = new URL(`http://127.0.0.1:${port}/review`);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'parlor-review' };
  send = () =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      req.on('error', reject);
      req.end(body);
    });
} else if (client === 'undici' || client === 'undici-pipelined') {
  // undici's Pool, keep-alive, one request per connection at a time or up to 10 pipelined.
  const pool = new Pool(`http://127.0.0.1:${port}`, { pipelining: client === 'undici' ? 1 : 10 });
  const headers = { 'content-type': 'application/json', 'user-agent': 'parlor-review' };
  send = async () => {
    const answer = await pool.request({ path: '/review', method: 'POST', headers, body });
    return answer.body.text();
  };
} else if (client === 'undici-dispatch') {
  const pool = new Pool(`http://127.0.0.1:${port}`, { pipelining: 10 });
  const headers = { 'content-type': 'application/json', 'user-agent': 'parlor-review' };
  send = () =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      pool.dispatch(
        { path: '/review', method: 'POST', headers, body },
        {
          onConnect: () => undefined,
          onHeaders: () => true,
          onData: (chunk: Buffer) => (chunks.push(chunk), true),
          onComplete: () => resolve(Buffer.concat(chunks).toString('utf8')),
          onError: reject,
        },
      );
    });
} else {
  const pool = new Http1Pool({ tls: false, hostname: '127.0.0.1', port }, new TurnEnd());
  const wire =
    `POST /review HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nuser-agent: parlor-review\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  send = () => pool.request(wire, NEVER_CANCELLED);
}

const latencies: number[] = [];
let measuring = false;
let errors = 0;
const warmUntil = performance.now() + 1500;
const endAt = warmUntil + seconds * 1000;
let cpu0 = process.cpuUsage();
let t0 = 0;

function tick(): void {
  const now = performance.now();
  if (now >= endAt) return void setTimeout(report, 300);
  if (!measuring && now >= warmUntil) {
    measuring = true;
    cpu0 = process.cpuUsage();
    t0 = now;
  }
  for (let i = 0; i < burst; i++) {
    const started = performance.now();
    const counted = measuring;
    send().then(
      () => counted && latencies.push(performance.now() - started),
      () => errors++,
    );
  }
  setTimeout(tick, every);
}

function report(): void {
  const cpu = process.cpuUsage(cpu0);
  const n = latencies.length;
  latencies.sort((a, b) => a - b);
  const q = (p: number): string => percentile(latencies, 100 * p).toFixed(2);
  const perReq = (us: number): string => (us / n).toFixed(0);
  const wall = (endAt - t0) / 1000;
  console.log(
    `| ${client} | ${burst} every ${every} ms | ${Math.round(n / wall)} | ${perReq(cpu.user + cpu.system)} (${perReq(cpu.user)} + ${perReq(cpu.system)}) | ${q(0.5)} | ${q(0.99)} |` +
      (errors > 0 ? ` ${errors} errors` : ''),
  );
  process.exit(0);
}

tick();
