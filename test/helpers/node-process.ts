/**
 * Cluster nodes as separate processes (the real CLI, src/main.ts through tsx), for tests about
 * processes: several nodes on one database and one Redis, signals, kill -9, restarts. Each
 * node has its own free port (kept across restarts, so a proxy in front keeps pointing at
 * it), its own data directory (chat-log spool) and its node id; `start` resolves once its
 * /readyz answers 200.
 */
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatHost } from './chat.js';
import { startCli, type CliProcess } from './cli.js';
import { freePort } from './free-port.js';

export interface NodeOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly clusterName: string;
  readonly nodeId: string;
  /** More environment (PARLOR_WORKERS, …). */
  readonly env?: NodeJS.ProcessEnv;
}

const READY_MS = 120_000;

/** GET /readyz: its status, or 0 when nothing answers. */
export async function readyzStatus(endpoint: string): Promise<number> {
  try {
    const res = await fetch(`${endpoint}/readyz`, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

/** Resolves once /readyz at `endpoint` answers `status` (0: nothing answers); rejects after `ms`. */
export async function readyzBecomes(endpoint: string, status: number, ms = READY_MS): Promise<void> {
  const deadline = Date.now() + ms;
  let last = -1;
  while ((last = await readyzStatus(endpoint)) !== status) {
    if (Date.now() > deadline) throw new Error(`${endpoint}/readyz still answers ${last}, not ${status}, after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class NodeProcess implements ChatHost {
  #cli: CliProcess | undefined;
  readonly #clients: IvschatClient[] = [];
  readonly parlor: { readonly endpoint: string; readonly chatUrl: string };

  private constructor(
    readonly options: NodeOptions,
    readonly port: number,
    readonly dataDir: string,
  ) {
    this.parlor = { endpoint: `http://127.0.0.1:${port}`, chatUrl: `ws://127.0.0.1:${port}` };
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Starts a node on a free port; resolves once it is ready. */
  static async start(options: NodeOptions): Promise<NodeProcess> {
    const node = new NodeProcess(options, await freePort(), mkdtempSync(join(tmpdir(), `parlor-${options.nodeId}-`)));
    try {
      await node.resume();
    } catch (err) {
      await node.close();
      throw err;
    }
    return node;
  }

  /** The running process (throws when stopped). */
  get cli(): CliProcess {
    if (!this.#cli) throw new Error(`node ${this.nodeId} is not running`);
    return this.#cli;
  }

  get running(): boolean {
    return this.#cli !== undefined;
  }

  /** (Re)starts the process on its port and data directory; resolves once /readyz says 200. */
  async resume(): Promise<void> {
    if (this.#cli) return;
    this.#cli = await startCli([], {
      PARLOR_PORT: String(this.port),
      PARLOR_DATA_DIR: this.dataDir,
      PARLOR_DATABASE_URL: this.options.databaseUrl,
      PARLOR_REDIS_URL: this.options.redisUrl,
      PARLOR_CLUSTER_NAME: this.options.clusterName,
      PARLOR_NODE_ID: this.options.nodeId,
      ...this.options.env,
    });
    const cli = this.#cli;
    void cli.exited.then(() => {
      if (this.#cli === cli) this.#cli = undefined;
    });
    await readyzBecomes(this.parlor.endpoint, 200);
  }

  /** Sends `signal` and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const cli = this.#cli;
    if (!cli) return { code: null, signal: null };
    cli.child.kill(signal);
    const exit = await cli.exited;
    this.#cli = undefined;
    return exit;
  }

  /** An SDK client on this node (dummy credentials; no retries unless asked). */
  client(maxAttempts = 1): IvschatClient {
    const client = new IvschatClient({
      region: 'us-east-1',
      endpoint: this.parlor.endpoint,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts,
    });
    this.#clients.push(client);
    return client;
  }

  /** Kills the process if it runs and removes the data directory. */
  async close(): Promise<void> {
    for (const c of this.#clients) c.destroy();
    await this.stop('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Starts one node per id, all at once, on the same database, Redis and cluster name. */
export async function startNodes(ids: readonly string[], shared: Omit<NodeOptions, 'nodeId'>): Promise<NodeProcess[]> {
  const started = await Promise.allSettled(ids.map((nodeId) => NodeProcess.start({ ...shared, nodeId })));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<NodeProcess>).value);
}
