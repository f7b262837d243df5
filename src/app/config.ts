/**
 * Parlor's configuration: one typed object, validated at start. Each field has a default, an
 * environment variable and a flag; flags override the environment, which overrides defaults.
 * README.md (Configuration) lists them for users.
 */
import { isIP } from 'node:net';
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
  /** PEM certificate chain; with tlsKey the port serves HTTPS and wss:// (re-read on SIGHUP). */
  readonly tlsCert: string | undefined;
  /** PEM private key of tlsCert. */
  readonly tlsKey: string | undefined;
  /** Origins whose pages may call the control plane (CORS); `['*']` = any; empty = none. */
  readonly corsOrigins: readonly string[];
  /** CIDRs of proxies whose X-Forwarded-For names the client's address; empty = none. */
  readonly trustedProxies: readonly string[];
  /** Open chat sockets per client address above which upgrades get 503; 0 = no cap. */
  readonly maxConnectionsPerIp: number;
  /** Bearer token GET /metrics requires; undefined = open. */
  readonly metricsToken: string | undefined;
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
  tlsCert: { env: 'PARLOR_TLS_CERT', flag: 'tls-cert' },
  tlsKey: { env: 'PARLOR_TLS_KEY', flag: 'tls-key' },
  corsOrigins: { env: 'PARLOR_CORS_ORIGINS', flag: 'cors-origins' },
  trustedProxies: { env: 'PARLOR_TRUSTED_PROXIES', flag: 'trusted-proxies' },
  maxConnectionsPerIp: { env: 'PARLOR_MAX_CONNECTIONS_PER_IP', flag: 'max-connections-per-ip' },
  metricsToken: { env: 'PARLOR_METRICS_TOKEN', flag: 'metrics-token' },
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
  tlsCert: undefined,
  tlsKey: undefined,
  corsOrigins: [],
  trustedProxies: [],
  maxConnectionsPerIp: 0,
  metricsToken: undefined,
};

export class ConfigError extends Error {}

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** `*`, or a comma list of origins as browsers send them (`https://app.example.com:8443`). */
function parseOrigins(s: string, name: string): readonly string[] {
  const origins = s.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin) {
      throw new ConfigError(`${name}: "${origin}" is not an origin; write scheme://host[:port] with no path or trailing slash, e.g. https://app.example.com`);
    }
  }
  if (origins.includes('*') && origins.length > 1) throw new ConfigError(`${name}: "*" allows every origin and cannot be combined with others`);
  return origins;
}

/** Comma list of CIDRs (a bare address is a /32 or /128). */
function parseCidrs(s: string, name: string): readonly string[] {
  const cidrs = s.split(',').map((c) => c.trim()).filter((c) => c !== '');
  for (const cidr of cidrs) {
    if (parseCidr(cidr) === undefined) throw new ConfigError(`${name}: "${cidr}" is not a CIDR such as 10.0.0.0/8, 192.168.1.7 or fd00::/8`);
  }
  return cidrs;
}

/** `address/prefix` split and checked; undefined when malformed. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = cidr.split('/');
  if (extra !== undefined) return undefined;
  const family = isIP(address) === 4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  const max = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return { address, prefix: Number(prefixText), family };
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
    tlsCert: pick('tlsCert', str),
    tlsKey: pick('tlsKey', str),
    corsOrigins: pick('corsOrigins', parseOrigins),
    trustedProxies: pick('trustedProxies', parseCidrs),
    maxConnectionsPerIp: pick('maxConnectionsPerIp', (s, n) => integer(n, s, 0, 10_000_000)),
    metricsToken: pick('metricsToken', str),
  };
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    const [given, missing] = config.tlsCert === undefined ? ['PARLOR_TLS_KEY', 'PARLOR_TLS_CERT / --tls-cert'] : ['PARLOR_TLS_CERT', 'PARLOR_TLS_KEY / --tls-key'];
    throw new ConfigError(`${given} is set but ${missing} is not: TLS needs both the certificate chain and its private key (or neither for plain HTTP)`);
  }
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
