/**
 * Starts a real Parlor on 127.0.0.1, port 0, with its own temporary data directory, and hands
 * out clients pointed at it. Every test file starts its own; nothing is shared between files.
 */
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { DEFAULTS, type Config } from '../../src/app/config.js';
import { startParlor, type RunningParlor, type StartOptions } from '../../src/app/start.js';

export interface TestServer {
  readonly parlor: RunningParlor;
  readonly dataDir: string;
  /** An SDK client with dummy credentials in the given region (default us-east-1). */
  client(region?: string, credentials?: { accessKeyId: string; secretAccessKey: string }): IvschatClient;
  /** Stops the server; keeps the data directory when `keepData` (for restart tests). */
  stop(keepData?: boolean): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'parlor-test-'));
}

export async function startTestServer(overrides: Partial<Config> = {}, options: StartOptions = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDataDir();
  const config: Config = { ...DEFAULTS, port: 0, logLevel: 'silent', ...overrides, dataDir };
  const parlor = await startParlor(config, undefined, options);
  const clients: IvschatClient[] = [];
  return {
    parlor,
    dataDir,
    client(region = 'us-east-1', credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }) {
      const c = new IvschatClient({ region, endpoint: parlor.endpoint, credentials, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async stop(keepData = false) {
      for (const c of clients) c.destroy();
      await parlor.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One server for the calling test file: started in `before`, stopped in `after`. The returned
 * object forwards to it, so it may be captured at module level and used inside tests. `ready`
 * runs once it is up (Node 20 does not wait for one root `before` hook before the next).
 */
export function serverPerFile(overrides: Partial<Config> = {}, ready?: (server: TestServer) => void): TestServer {
  let running: TestServer | undefined;
  before(async () => {
    running = await startTestServer(overrides);
    ready?.(running);
  });
  after(() => running?.stop());
  const get = (): TestServer => {
    if (!running) throw new Error('the test server starts in before(); use it inside tests');
    return running;
  };
  return {
    get parlor() {
      return get().parlor;
    },
    get dataDir() {
      return get().dataDir;
    },
    client: (region, credentials) => get().client(region, credentials),
    stop: (keepData) => get().stop(keepData),
  };
}
