/**
 * The servers under test, each started as a child pinned to core 0: Parlor itself (full
 * pipeline: rooms and tokens through the control plane, tokens checked at the upgrade,
 * capabilities and rate limits on every message) and the two reference servers.
 */
import {
  CreateChatTokenCommand,
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  IvschatClient,
  UpdateRoomCommand,
  type ChatTokenCapability,
  type DestinationConfiguration,
} from '@aws-sdk/client-ivschat';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { countChatLogRecords } from './chat-log-count.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoomTokens } from './ipc.js';
import { spawnNode, stopChild, waitForLine } from './proc.js';
import { startReviewWebhook, type ReviewSetup } from './review-target.js';

export const SERVER_CORE = 0;
/**
 * `parlor-chatlog`: Parlor with one logging configuration of each kind (local sink) on every room.
 * `parlor-review`: Parlor with every room reviewed by an instant local webhook (review-target.ts).
 * `parlor-review-ab`: the same, with review switched off and on during the window (phases.ts).
 */
export type TargetName = 'parlor' | 'parlor-chatlog' | 'parlor-review' | 'parlor-review-ab' | 'naive' | 'coalescing';
export const TARGET_NAMES: readonly TargetName[] = ['parlor', 'parlor-chatlog', 'parlor-review', 'parlor-review-ab', 'naive', 'coalescing'];

/** One destination of each kind, written by the local sink under the data directory. */
const CHAT_LOG_DESTINATIONS: readonly DestinationConfiguration[] = [
  { s3: { bucketName: 'bench-bucket' } },
  { cloudWatchLogs: { logGroupName: 'bench-group' } },
  { firehose: { deliveryStreamName: 'bench-stream' } },
];

export interface RoomShape {
  readonly rooms: number;
  readonly publishers: number;
  readonly subscribers: number;
}

export interface RunningTarget {
  readonly pid: number;
  readonly port: number;
  /** Mints one single-use token per connection (publishers may send, subscribers only read). */
  tokens(shape: RoomShape): Promise<RoomTokens[]>;
  /** Interleaved targets: sets (UpdateRoom) or removes every room's review handler. */
  setReview?(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Where Parlor's sources are (`--parlor-root`, default: this checkout), e.g. to compare two versions. */
let parlorRoot = process.cwd();
export function setParlorRoot(dir: string): void {
  parlorRoot = dir;
}

/**
 * Parlor runs as `npm start` runs it: the tsc build in dist/ (built here once per run, in the
 * Parlor root), not through tsx, whose transform adds work of its own (names kept on every
 * closure, module hooks). The reference servers run through tsx.
 */
let built: string | undefined;
function buildParlor(): void {
  if (built === parlorRoot) return;
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: parlorRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`building Parlor in ${parlorRoot} failed`);
  built = parlorRoot;
}

/** `BENCH_SERVER_NODE_FLAGS` (e.g. `--trace-gc`) go to every server child's node. */
function startChild(args: readonly string[], cwd = process.cwd(), transpile = true): ChildProcess {
  const extra = process.env.BENCH_SERVER_NODE_FLAGS ? process.env.BENCH_SERVER_NODE_FLAGS.split(' ') : [];
  return spawnNode('server', SERVER_CORE, [...extra, ...(transpile ? ['--import', 'tsx'] : []), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Keeps reading a child's output after it is ready (a full pipe would block it), echoing errors. */
function drain(child: ChildProcess, label: string): void {
  child.stdout?.on('data', (chunk: Buffer) => { if (process.env.BENCH_SERVER_LOG) process.stderr.write(`[${label}] ${chunk.toString()}`); });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`));
}

async function startReference(name: 'naive' | 'coalescing'): Promise<RunningTarget> {
  const child = startChild([`bench/chat/servers/${name}.ts`]);
  const port = Number(await waitForLine(child, /\{"port":(\d+)\}/, 20_000));
  drain(child, name);
  return {
    pid: child.pid!,
    port,
    async tokens(shape) {
      // Any sub-protocol is accepted; the text before the first '.' names the room.
      return Array.from({ length: shape.rooms }, (_, room) => ({
        publishers: Array.from({ length: shape.publishers }, (_, i) => `room${room}.p${i}`),
        subscribers: Array.from({ length: shape.subscribers }, (_, i) => `room${room}.s${i}`),
      }));
    },
    stop: () => stopChild(child),
  };
}

/** Runs `task` over `items` with at most `limit` in flight, keeping order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The node flags `npm start` gives Parlor (package.json of the Parlor root), so the bench runs it the same way. */
function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(parlorRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/main\.js/.exec(pkg.scripts?.start ?? '')?.[1] ?? '';
  return flags.split(/\s+/).filter((f) => f !== '');
}

async function startParlor(chatLog: boolean, review?: ReviewSetup, interleaved = false): Promise<RunningTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parlor-bench-'));
  buildParlor();
  const child = startChild([...startNodeFlags(), 'dist/main.js', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...(review?.args ?? [])], parlorRoot, false);
  const port = Number(await waitForLine(child, /control plane:\s+http:\/\/127\.0\.0\.1:(\d+)/, 30_000));
  drain(child, 'parlor');
  const client = new IvschatClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  const roomArns: string[] = [];
  return {
    pid: child.pid!,
    port,
    ...(review && interleaved
      ? {
          async setReview(on: boolean) {
            const messageReviewHandler = on ? review.handler : { uri: '' };
            await Promise.all(roomArns.map((identifier) => client.send(new UpdateRoomCommand({ identifier, messageReviewHandler }))));
          },
        }
      : {}),
    async tokens(shape) {
      const loggingConfigurationIdentifiers: string[] = [];
      for (const destinationConfiguration of chatLog ? CHAT_LOG_DESTINATIONS : []) {
        loggingConfigurationIdentifiers.push((await client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration }))).arn!);
      }
      const rooms = await Promise.all(
        Array.from({ length: shape.rooms }, (_, i) =>
          client.send(
            new CreateRoomCommand({
              name: `bench-${i}`,
              maximumMessageRatePerSecond: 100,
              loggingConfigurationIdentifiers,
              ...(review ? { messageReviewHandler: review.handler } : {}),
            }),
          ),
        ),
      );
      roomArns.push(...rooms.map((room) => room.arn!));
      const mint = (arn: string, userId: string, capabilities: ChatTokenCapability[]) => async (): Promise<string> => {
        const out = await client.send(new CreateChatTokenCommand({ roomIdentifier: arn, userId, capabilities }));
        if (out.token === undefined) throw new Error('CreateChatToken returned no token');
        return out.token;
      };
      const jobs: Array<{ room: number; publisher: boolean; run: () => Promise<string> }> = [];
      rooms.forEach((room, r) => {
        const arn = room.arn!;
        for (let i = 0; i < shape.publishers; i++) jobs.push({ room: r, publisher: true, run: mint(arn, `pub-${r}-${i}`, ['SEND_MESSAGE']) });
        for (let i = 0; i < shape.subscribers; i++) jobs.push({ room: r, publisher: false, run: mint(arn, `sub-${r}-${i}`, []) });
      });
      const tokens = await mapBounded(jobs, 32, (job) => job.run());
      const result = rooms.map(() => ({ publishers: [] as string[], subscribers: [] as string[] }));
      jobs.forEach((job, i) => (job.publisher ? result[job.room]!.publishers : result[job.room]!.subscribers).push(tokens[i]!));
      return result;
    },
    async stop() {
      if (review) console.log(`  reviews: ${await review.summary(port)}`);
      client.destroy();
      // Graceful stop (SIGTERM) flushes the chat logs; say what they hold.
      await stopChild(child, 10_000);
      if (chatLog) console.log(`  chat logs after shutdown: ${countChatLogRecords(dataDir)}`);
      rmSync(dataDir, { recursive: true, force: true });
      await review?.stop();
    },
  };
}

export function startTarget(name: TargetName): Promise<RunningTarget> {
  switch (name) {
    case 'parlor':
    case 'parlor-chatlog':
      return startParlor(name === 'parlor-chatlog');
    case 'parlor-review':
    case 'parlor-review-ab':
      return startReviewWebhook().then((review) => startParlor(false, review, name === 'parlor-review-ab'));
    case 'naive':
    case 'coalescing':
      return startReference(name);
    default: {
      const never: never = name;
      throw new Error(`unknown target ${String(never)}`);
    }
  }
}
