/**
 * Parlor's configuration: one typed object, validated at start. Each field has a default, an
 * environment variable and a flag; flags override the environment, which overrides defaults.
 * README.md (Configuration) lists them for users.
 */
import { parseArgs } from 'node:util';

export type ChatLogSinkKind = 'local' | 'aws';

/** Processes on this machine sharing the port: a count, or one per core. */
export type Workers = number | 'auto';

export interface Config {
  /** Address to bind. */
  readonly host: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Embedded state (SQLite) and local chat logs live here. */
  readonly dataDir: string;
  /** Region of ARNs when a request's signature names none. */
  readonly region: string;
  /** The account of open mode. */
  readonly accountId: string;
  /** Accounts, credentials and policies (JSON); undefined = open mode. */
  readonly authFile: string | undefined;
  /** Allow open mode on a non-loopback address. */
  readonly insecureOpen: boolean;
  /** Milliseconds a review handler may take before the room's fallback applies. */
  readonly reviewTimeoutMs: number;
  /** JSON object or path of a JSON file: Lambda function ARN → webhook URL. */
  readonly reviewWebhooks: string | undefined;
  /** Where chat logs go. */
  readonly chatLogSink: ChatLogSinkKind;
  /** pino level of Parlor's own log lines. */
  readonly logLevel: string;
  /** Open chat WebSockets (plus handshakes in progress) above which upgrades get 503. */
  readonly maxConnections: number;
  /** `postgres://…` of the shared store; with `redisUrl`, cluster mode. */
  readonly databaseUrl: string | undefined;
  /** `redis://…` carrying messages, room changes and rate budgets between nodes. */
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key and channel (several clusters may share one Redis). */
  readonly clusterName: string;
  /** This node's name in logs, metrics and /readyz; undefined = host name + ":" + port. */
  readonly nodeId: string | undefined;
  /** Worker processes sharing the port (cluster mode only above 1). */
  readonly workers: Workers;
}

interface FieldSpec {
  readonly env: string;
  readonly flag: string;
  readonly boolean?: boolean;
}

const FIELDS: Readonly<Record<keyof Config, FieldSpec>> = {
  host: { env: 'PARLOR_HOST', flag: 'host' },
  port: { env: 'PARLOR_PORT', flag: 'port' },
  dataDir: { env: 'PARLOR_DATA_DIR', flag: 'data-dir' },
  region: { env: 'PARLOR_REGION', flag: 'region' },
  accountId: { env: 'PARLOR_ACCOUNT_ID', flag: 'account-id' },
  authFile: { env: 'PARLOR_AUTH_FILE', flag: 'auth-file' },
  insecureOpen: { env: 'PARLOR_INSECURE_OPEN', flag: 'insecure-open', boolean: true },
  reviewTimeoutMs: { env: 'PARLOR_REVIEW_TIMEOUT_MS', flag: 'review-timeout-ms' },
  reviewWebhooks: { env: 'PARLOR_REVIEW_WEBHOOKS', flag: 'review-webhooks' },
  chatLogSink: { env: 'PARLOR_CHAT_LOG_SINK', flag: 'chat-log-sink' },
  logLevel: { env: 'PARLOR_LOG_LEVEL', flag: 'log-level' },
  maxConnections: { env: 'PARLOR_MAX_CONNECTIONS', flag: 'max-connections' },
  databaseUrl: { env: 'PARLOR_DATABASE_URL', flag: 'database-url' },
  redisUrl: { env: 'PARLOR_REDIS_URL', flag: 'redis-url' },
  clusterName: { env: 'PARLOR_CLUSTER_NAME', flag: 'cluster-name' },
  nodeId: { env: 'PARLOR_NODE_ID', flag: 'node-id' },
  workers: { env: 'PARLOR_WORKERS', flag: 'workers' },
};

export const DEFAULTS: Config = {
  host: '127.0.0.1',
  port: 4577,
  dataDir: './.parlor',
  region: 'us-east-1',
  accountId: '123456789012',
  authFile: undefined,
  insecureOpen: false,
  reviewTimeoutMs: 200,
  reviewWebhooks: undefined,
  chatLogSink: 'local',
  logLevel: 'info',
  maxConnections: 50_000,
  databaseUrl: undefined,
  redisUrl: undefined,
  clusterName: 'parlor',
  nodeId: undefined,
  workers: 1,
};

export class ConfigError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads flags (`argv` without node and script) and the environment; throws ConfigError. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const options = Object.fromEntries(
    Object.values(FIELDS).map((f) => [f.flag, { type: f.boolean ? ('boolean' as const) : ('string' as const) }]),
  );
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const raw = (key: keyof Config): string | undefined => {
    const spec = FIELDS[key];
    const flag = flags[spec.flag];
    if (flag !== undefined) return String(flag);
    const fromEnv = env[spec.env];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const pick = <K extends keyof Config>(key: K, parse: (s: string, name: string) => Config[K]): Config[K] => {
    const value = raw(key);
    const spec = FIELDS[key];
    return value === undefined ? DEFAULTS[key] : parse(value, `${spec.env} / --${spec.flag}`);
  };
  const str = (s: string) => s;
  const config: Config = {
    host: pick('host', str),
    port: pick('port', (s, n) => integer(n, s, 0, 65535)),
    dataDir: pick('dataDir', str),
    region: pick('region', (s, n) => {
      if (!/^[a-z0-9-]+$/.test(s)) throw new ConfigError(`${n} must look like a region (e.g. us-east-1), got "${s}"`);
      return s;
    }),
    accountId: pick('accountId', (s, n) => {
      if (!/^\d{12}$/.test(s)) throw new ConfigError(`${n} must be 12 digits, got "${s}"`);
      return s;
    }),
    authFile: pick('authFile', str),
    insecureOpen: pick('insecureOpen', (s, n) => {
      if (s !== 'true' && s !== 'false' && s !== '1' && s !== '0') throw new ConfigError(`${n} must be true or false`);
      return s === 'true' || s === '1';
    }),
    reviewTimeoutMs: pick('reviewTimeoutMs', (s, n) => integer(n, s, 1, 60_000)),
    reviewWebhooks: pick('reviewWebhooks', str),
    chatLogSink: pick('chatLogSink', (s, n) => {
      if (s !== 'local' && s !== 'aws') throw new ConfigError(`${n} must be "local" or "aws", got "${s}"`);
      return s;
    }),
    logLevel: pick('logLevel', (s, n) => {
      if (!LOG_LEVELS.includes(s)) throw new ConfigError(`${n} must be one of ${LOG_LEVELS.join(', ')}`);
      return s;
    }),
    maxConnections: pick('maxConnections', (s, n) => integer(n, s, 1, 10_000_000)),
    databaseUrl: pick('databaseUrl', (s, n) => url(n, s, ['postgres:', 'postgresql:'])),
    redisUrl: pick('redisUrl', (s, n) => url(n, s, ['redis:', 'rediss:'])),
    clusterName: pick('clusterName', (s, n) => {
      if (!/^[A-Za-z0-9._:-]{1,64}$/.test(s)) throw new ConfigError(`${n} must be 1–64 letters, digits or . _ : -, got "${s}"`);
      return s;
    }),
    nodeId: pick('nodeId', (s, n) => {
      if (!/^[\x21-\x7e]{1,128}$/.test(s)) throw new ConfigError(`${n} must be 1–128 visible ASCII characters, got "${s}"`);
      return s;
    }),
    workers: pick('workers', (s, n) => (s === 'auto' ? 'auto' : integer(n, s, 1, 256))),
  };
  checkMode(config);
  return config;
}

function url(name: string, raw: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${maskPassword(raw)}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${maskPassword(raw)}"`);
  }
  return raw;
}

/** Cluster mode needs both URLs; more than one worker needs cluster mode. */
function checkMode(config: Config): void {
  if ((config.databaseUrl === undefined) !== (config.redisUrl === undefined)) {
    const missing = config.databaseUrl === undefined ? 'PARLOR_DATABASE_URL / --database-url' : 'PARLOR_REDIS_URL / --redis-url';
    throw new ConfigError(
      `Cluster mode needs both PARLOR_DATABASE_URL and PARLOR_REDIS_URL; ${missing} is missing. ` +
        'Give both for cluster mode, or neither for embedded mode.',
    );
  }
  if (config.workers !== 1 && config.databaseUrl === undefined) {
    throw new ConfigError(
      `PARLOR_WORKERS / --workers is ${config.workers}, but more than one worker needs cluster mode: ` +
        'workers share no memory, and embedded mode keeps its state in one process (SQLite, in-process fan-out and rate limits). ' +
        'Set PARLOR_DATABASE_URL and PARLOR_REDIS_URL, or run one worker.',
    );
  }
}

export type Mode = 'embedded' | 'cluster';

export function modeOf(config: Config): Mode {
  return config.databaseUrl !== undefined && config.redisUrl !== undefined ? 'cluster' : 'embedded';
}

/** `url` with its password replaced by `***` (for logs and the start banner). */
export function maskPassword(raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.password === '') return raw;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL: hide whatever sits between "://user:" and "@".
    return raw.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
