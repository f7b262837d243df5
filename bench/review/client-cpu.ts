/**
 * `npm run bench:review-client` — what one webhook review request costs the caller's CPU, for
 * each HTTP client (`--clients`, see client-worker.ts) against the `node:http` keep-alive agent
 * (the baseline), in the same run. The instant webhook of bench:chat runs
 * as a child on core 1; each client runs as a child on core 0 and sends bursts of B requests
 * every T ms for S seconds (after a 1.5 s warm-up), then prints its CPU per request (user and
 * system, from process.cpuUsage) and the latency percentiles it saw.
 *
 * Options: `--bursts B/T,...` (default 2/1,20/10,200/10: 2,000, 2,000 and 20,000 requests/s),
 * `--seconds S` (default 5), `--clients A,B,…`.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { TASKSET_AVAILABLE } from '../chat/proc.js';

const { values } = parseArgs({
  options: {
    bursts: { type: 'string', default: '2/1,20/10,200/10' },
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: 'node-http,pool,undici,undici-pipelined,undici-dispatch' },
  },
});

function child(core: number, args: string[]): ReturnType<typeof spawn> {
  const node = [process.execPath, '--import', 'tsx', ...args];
  return TASKSET_AVAILABLE ? spawn('taskset', ['-c', String(core), ...node], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(node[0]!, node.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstLine(proc: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    proc.once('exit', (code) => reject(new Error(`child exited (${code}) before printing`)));
  });
}

const webhook = child(1, ['bench/chat/servers/review-webhook.ts']);
const port = (JSON.parse(await firstLine(webhook)) as { port: number }).port;
console.log(`webhook on 127.0.0.1:${port} (core 1), clients on core 0${TASKSET_AVAILABLE ? '' : ' (taskset missing: unpinned)'}`);
console.log('| client | burst | requests/s | CPU µs/request (user + sys) | p50 ms | p99 ms |');
console.log('|---|---|---:|---:|---:|---:|');
for (const burst of values.bursts!.split(',')) {
  for (const client of values.clients!.split(',')) {
    const line = await firstLine(child(0, ['bench/review/client-worker.ts', String(port), client, burst, values.seconds!]));
    console.log(line);
  }
}
webhook.kill('SIGTERM');
