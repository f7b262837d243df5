/**
 * bench:flood — can one abusive chat connection slow a 1,000-subscriber room down?
 *
 * Parlor runs in its own process. 1,000 raw WebSocket subscribers join one room; one sender
 * sends 20 messages a second (within its budget), each carrying its send time; every
 * subscriber's delivery latency is recorded. Phases: `baseline` (no abuser), `flood` (the
 * abuser of abuser.ts runs, from its start until Parlor cuts it off), `after` (cut off).
 * Printed: p50 / p99 / max latency per phase, the abuser's frames, answers and close code.
 * Usage: npm run bench:flood -- [--subscribers 1000] [--phase-seconds 8] [--runs 1]
 */
import { CreateChatTokenCommand, CreateRoomCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { percentile } from '../percentile.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    'phase-seconds': { type: 'string', default: '8' },
    runs: { type: 'string', default: '1' },
  },
});
const SUBSCRIBERS = Number(values.subscribers);
const PHASE_MS = Number(values['phase-seconds']) * 1000;
// Within the per-connection budget (10 a second): the sender is a well-behaved client.
const SEND_PER_SECOND = 8;

interface Parlor {
  endpoint: string;
  stop(): Promise<void>;
}

async function startParlor(): Promise<Parlor> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parlor-flood-'));
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', join(ROOT, 'src', 'main.ts'), '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, PARLOR_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /control plane:\s+(http:\/\/\S+)/.exec(out);
      if (m && /authentication:/.test(out)) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`parlor exited ${code}: ${out}`)));
  });
  return {
    endpoint,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function tokens(sdk: IvschatClient, roomArn: string, count: number, capabilities: Array<'SEND_MESSAGE'> = []): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) => sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId: `u${i + j}`, capabilities }))),
    );
    out.push(...batch.map((t) => t.token!));
  }
  return out;
}

function open(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, token);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}
const stats = (samples: number[]): Stats => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
};
const fmt = (s: Stats): string => `n=${s.n} p50=${s.p50.toFixed(1)} ms p99=${s.p99.toFixed(1)} ms max=${s.max.toFixed(1)} ms`;

async function run(index: number): Promise<void> {
  const parlor = await startParlor();
  const sdk = new IvschatClient({ region: 'us-east-1', endpoint: parlor.endpoint, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' }, maxAttempts: 3 });
  const room = await sdk.send(new CreateRoomCommand({ name: 'flood', maximumMessageRatePerSecond: 100 }));
  const chatUrl = parlor.endpoint.replace(/^http/, 'ws');
  const subscriberTokens = await tokens(sdk, room.arn!, SUBSCRIBERS);
  const subscribers: WebSocket[] = [];
  for (let i = 0; i < subscriberTokens.length; i += 100) subscribers.push(...(await Promise.all(subscriberTokens.slice(i, i + 100).map((t) => open(chatUrl, t)))));
  let phase: 'warmup' | 'baseline' | 'flood' | 'after' = 'warmup';
  const samples: Record<string, number[]> = { baseline: [], flood: [], after: [] };
  for (const ws of subscribers) {
    ws.on('message', (data) => {
      const text = data.toString();
      const at = text.indexOf('"Content":"t');
      if (at < 0 || phase === 'warmup') return;
      const sentAt = Number(text.slice(at + 12, text.indexOf('"', at + 12)));
      samples[phase]!.push(performance.now() - sentAt);
    });
  }
  const sender = await open(chatUrl, (await tokens(sdk, room.arn!, 1, ['SEND_MESSAGE']))[0]!);
  const sending = setInterval(() => sender.send(JSON.stringify({ action: 'SEND_MESSAGE', requestId: 'r', content: `t${performance.now()}` })), 1000 / SEND_PER_SECOND);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await sleep(2000);
  phase = 'baseline';
  await sleep(PHASE_MS);
  // The abuser, in its own process, until Parlor cuts it off (or twice the phase: not cut off).
  const abuserToken = (await tokens(sdk, room.arn!, 1))[0]!;
  const abuser = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'flood', 'abuser.ts'), chatUrl, abuserToken], { stdio: ['ignore', 'pipe', 'inherit'] });
  let report = '';
  const opened = new Promise<void>((resolve) =>
    abuser.stdout!.setEncoding('utf8').on('data', (c: string) => {
      report += c;
      if (report.includes('"open"')) resolve();
    }),
  );
  const ended = new Promise<void>((r) => abuser.once('exit', () => r()));
  // The flood phase starts when the abuser is connected (its process start is not measured).
  await Promise.race([opened, ended]);
  phase = 'flood';
  const cutOff = await Promise.race([ended.then(() => true), sleep(2 * PHASE_MS).then(() => false)]);
  if (!cutOff) abuser.kill('SIGKILL');
  phase = 'after';
  await sleep(PHASE_MS);
  clearInterval(sending);
  const last = report.trim().split('\n').pop() ?? '';
  const result = last.includes('"code"') ? (JSON.parse(last) as { sent: number; answers: number; code: number; ms: number }) : undefined;
  console.log(`run ${index + 1}: ${SUBSCRIBERS} subscribers, ${SEND_PER_SECOND} messages/s`);
  console.log(`  baseline:                ${fmt(stats(samples.baseline!))}`);
  console.log(`  flood (until cut off):   ${fmt(stats(samples.flood!))}`);
  console.log(`  after the cut:           ${fmt(stats(samples.after!))}`);
  console.log(
    result
      ? `  abuser: ${result.sent} frames sent, ${result.answers} answers read, closed ${result.code} after ${result.ms} ms`
      : `  abuser: NOT cut off within ${(2 * PHASE_MS) / 1000} s`,
  );
  sender.close();
  for (const ws of subscribers) ws.terminate();
  sdk.destroy();
  await parlor.stop();
}

for (let i = 0; i < Number(values.runs); i++) await run(i);
