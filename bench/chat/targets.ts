/**
 * The servers under test, as a table: each target names how to start a fresh server child
 * pinned to core 0 and mint tokens for it. Parlor runs with its full pipeline (rooms and tokens
 * through the control plane, tokens checked at the upgrade, capabilities and rate limits on
 * every message); the two reference servers are the baselines. To add a target, add a row to
 * TARGETS (usually `parlorTarget({...})` with its flags, environment or room settings).
 */
import {
  CreateChatTokenCommand,
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  IvschatClient,
  type ChatTokenCapability,
  type CreateRoomCommandInput,
  type DestinationConfiguration,
} from '@aws-sdk/client-ivschat';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countChatLogRecords } from './chat-log-count.js';
import type { RoomTokens } from './ipc.js';
import { spawnNode, stopChild, waitForLine } from './proc.js';
import { startReviewWebhook, type ReviewSetup } from './review-target.js';

export const SERVER_CORE = 0;
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
  stop(): Promise<void>;
}

/**
 * Parlor runs as `npm start` runs it: the tsc build in dist/ (built once per run), not through
 * tsx, whose transform adds work of its own. The reference servers run through tsx.
 */
const built = new Set<string>();
function buildParlor(dir = '.'): void {
  if (built.has(dir)) return;
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit', cwd: dir });
  if (result.status !== 0) throw new Error(`building Parlor in ${dir} failed`);
  built.add(dir);
}

function startChild(args: readonly string[], env?: Readonly<Record<string, string>>, core = SERVER_CORE): ChildProcess {
  return spawnNode(core, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

/** Keeps reading a child's output after it is ready (a full pipe would block it), echoing errors. */
function drain(child: ChildProcess, label: string): void {
  child.stdout?.on('data', (chunk: Buffer) => { if (process.env.BENCH_SERVER_LOG) process.stderr.write(`[${label}] ${chunk.toString()}`); });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`));
}

async function startReference(name: 'naive' | 'coalescing'): Promise<RunningTarget> {
  const child = startChild(['--import', 'tsx', `bench/chat/servers/${name}.ts`]);
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

/** The node flags `npm start` gives Parlor (package.json), so the bench runs it the same way. */
function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts?: Record<string, string> };
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/main\.js/.exec(pkg.scripts?.start ?? '')?.[1] ?? '';
  return flags.split(/\s+/).filter((f) => f !== '');
}

export interface ParlorTargetOptions {
  /** One logging configuration of each kind (local sink) on every room. */
  readonly chatLog?: boolean;
  /** Review every room's messages with this handler (review-target.ts). */
  readonly review?: () => Promise<ReviewSetup>;
  /** More Parlor flags and environment. */
  readonly flags?: readonly string[];
  /** More node flags (before dist/main.js), e.g. --cpu-prof. */
  readonly nodeFlags?: readonly string[];
  /** The CPU the server is pinned to (default SERVER_CORE). */
  readonly core?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** More CreateRoom input for every room. */
  readonly room?: Partial<CreateRoomCommandInput>;
  /** Messages sent into every room before its tokens are handed out (e.g. history to replay). */
  readonly seedMessages?: number;
  /** The checkout to build and run (default: this one). */
  readonly dir?: string;
}

/** A Parlor target: a fresh data directory, Parlor built and started as `npm start` does. */
export const parlorTarget = (options: ParlorTargetOptions = {}) => async (): Promise<RunningTarget> => {
  const { chatLog = false } = options;
  const review = await options.review?.();
  const dataDir = mkdtempSync(join(tmpdir(), 'parlor-bench-'));
  const dir = options.dir ?? '.';
  buildParlor(dir);
  const args = [...startNodeFlags(), ...(options.nodeFlags ?? []), join(dir, 'dist/main.js'), '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...(review?.args ?? []), ...(options.flags ?? [])];
  const child = startChild(args, options.env, options.core);
  const port = Number(await waitForLine(child, /control plane:\s+http:\/\/127\.0\.0\.1:(\d+)/, 30_000));
  drain(child, 'parlor');
  const client = new IvschatClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  return {
    pid: child.pid!,
    port,
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
              ...options.room,
            }),
          ),
        ),
      );
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
      for (const room of rooms) await seedRoom(port, options.seedMessages ?? 0, mint(room.arn!, 'seeder', ['SEND_MESSAGE']));
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

/**
 * Sends `count` messages into a room, 10 per connection (the per-connection rate), and waits
 * until each connection got its own back.
 */
async function seedRoom(port: number, count: number, token: () => Promise<string>): Promise<void> {
  const sends = Array.from({ length: Math.ceil(count / 10) }, (_, c) => Math.min(10, count - c * 10));
  await Promise.all(
    sends.map(async (n) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`, await token());
      await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
      let echoed = 0;
      const done = new Promise<void>((resolve) => ws.on('message', (data) => (String(data).includes('"Type":"MESSAGE"') && ++echoed === n ? resolve() : undefined)));
      for (let i = 0; i < n; i++) ws.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: `seed-${i}`, Content: `seed message ${i}` }));
      await done;
      ws.close();
    }),
  );
}

export interface TargetSpec {
  /** One line: what the target is, for the runner's help. */
  readonly about: string;
  start(): Promise<RunningTarget>;
  /** Run only when `--only` names it (it needs something set up first). */
  readonly whenNamed?: true;
}

export const TARGETS = {
  parlor: { about: 'Parlor with its defaults', start: parlorTarget() },
  'parlor-chatlog': { about: 'Parlor, every room logged to S3, CloudWatch Logs and Firehose (local sink)', start: parlorTarget({ chatLog: true }) },
  'parlor-history': {
    about: 'Parlor, every room with parlor:history=1000 and parlor:replay=50 (50 messages kept before the clients connect)',
    start: parlorTarget({ room: { tags: { 'parlor:history': '1000', 'parlor:replay': '50' } }, seedMessages: 50 }),
  },
  'parlor-review': { about: 'Parlor, every message reviewed by an instant local webhook', start: parlorTarget({ review: startReviewWebhook }) },
  'parlor-presence': {
    about: 'Parlor, every room with parlor:presence-events on (joins and leaves announced)',
    start: parlorTarget({ room: { tags: { 'parlor:presence-events': 'true' } } }),
  },
  'parlor-base': {
    about: 'Parlor built from the checkout in BENCH_BASE_DIR (e.g. a `git worktree` of the commit before a change), with its defaults; only when named with --only',
    start: () => {
      const dir = process.env.BENCH_BASE_DIR;
      if (dir === undefined || dir === '') throw new Error('parlor-base: set BENCH_BASE_DIR to a checkout of Parlor (with node_modules) to compare against');
      return parlorTarget({ dir })();
    },
    whenNamed: true,
  },
  naive: { about: 'reference: `ws` broadcast, one send per member', start: () => startReference('naive') },
  coalescing: { about: 'reference: one frame per message, one write per member per turn', start: () => startReference('coalescing') },
} satisfies Record<string, TargetSpec>;

export type TargetName = keyof typeof TARGETS;
/** The targets run by default (not those run only when named). */
export const TARGET_NAMES = (Object.keys(TARGETS) as TargetName[]).filter((name) => !('whenNamed' in TARGETS[name]));
