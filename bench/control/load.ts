/**
 * The load generator: SigV4-signed requests, signed once up front (a SigV4 signature stays
 * valid for its 15-minute window, so replaying it is what a verifying server would accept),
 * sent over keep-alive connections with a fixed number in flight for a fixed time.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Agent, request } from 'node:http';
import type { Credentials } from './servers.js';
import { percentile } from '../percentile.js';

export interface PreparedRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** POST `path` with a JSON body, signed for ivschat in `region` as the JS SDK signs it. */
export async function signedPost(endpoint: string, path: string, input: unknown, credentials: Credentials, region = 'us-east-1'): Promise<PreparedRequest> {
  const url = new URL(endpoint);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'ivschat', region, credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return { path, headers: signed.headers, body };
}

export interface LoadOptions {
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

export interface LoadResult {
  /** Completed requests per second in the measured window. */
  readonly rps: number;
  /** Latencies in milliseconds of requests completed in the measured window. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly completed: number;
  /** Answers other than 200 and transport errors, whole run. */
  readonly errors: number;
  /** CPU the server used in the measured window, in cores (1 = one core busy); NaN if unknown. */
  readonly serverCores: number;
  /** CPU this load generator used in the measured window, in cores. */
  readonly loadCores: number;
}


/**
 * Sends `requests` round-robin to `endpoint`: warm-up (not counted), then the measured window.
 * `serverCpuSeconds` reads the server's CPU time so far (user + system).
 */
export async function drive(
  endpoint: string,
  requests: readonly PreparedRequest[],
  options: LoadOptions,
  serverCpuSeconds: () => number = () => NaN,
): Promise<LoadResult> {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.measureMs;
  let latencies = new Float64Array(1 << 16);
  let completed = 0;
  let errors = 0;
  let next = 0;
  const ownCpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const cpu = { server: [NaN, NaN], own: [NaN, NaN] };
  const sample = (i: 0 | 1) => {
    cpu.server[i] = serverCpuSeconds();
    cpu.own[i] = ownCpuSeconds();
  };
  const cpuTimers = [setTimeout(() => sample(0), options.warmupMs), setTimeout(() => sample(1), options.warmupMs + options.measureMs)];

  const once = (req: PreparedRequest): Promise<boolean> =>
    new Promise((resolve) => {
      const r = request({ agent, host: url.hostname, port: url.port, method: 'POST', path: req.path, headers: req.headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
        res.on('error', () => resolve(false));
      });
      r.on('error', () => resolve(false));
      r.end(req.body);
    });

  const worker = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end) return;
      const ok = await once(requests[next++ % requests.length]!);
      const t1 = performance.now();
      if (!ok) errors++;
      if (t1 >= measureFrom && t1 < end && ok) {
        if (completed === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[completed++] = t1 - t0;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (Number.isNaN(cpu.own[1])) sample(1);
  cpuTimers.forEach(clearTimeout);
  agent.destroy();
  const sorted = latencies.subarray(0, completed).sort();
  return {
    rps: completed / (options.measureMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: completed > 0 ? sorted[completed - 1]! : NaN,
    completed,
    errors,
    serverCores: (cpu.server[1]! - cpu.server[0]!) / (options.measureMs / 1000),
    loadCores: (cpu.own[1]! - cpu.own[0]!) / (options.measureMs / 1000),
  };
}
