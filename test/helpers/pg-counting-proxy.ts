/**
 * A TCP pass-through in front of PostgreSQL that counts what clients ask of it: statements
 * (simple-protocol Query and extended-protocol Execute messages), bytes each way and
 * connections. Used to show how much database work a chat message or a connect costs.
 * Assumes clients do not negotiate TLS (the default for `pg` without `ssl`).
 */
import { connect, createServer, type Socket } from 'node:net';

export interface PgCounts {
  statements: number;
  bytesToServer: number;
  bytesFromServer: number;
  connections: number;
}

export interface PgCountingProxy {
  /** `url` with host and port replaced by the proxy's. */
  readonly url: string;
  /** Counts since start (or the last reset). */
  counts(): PgCounts;
  reset(): void;
  close(): Promise<void>;
}

/** Splits a client's byte stream into protocol messages and counts the statements. */
class FrontendParser {
  #buffer: Buffer = Buffer.alloc(0);
  #startup = true;

  constructor(private readonly onStatement: () => void) {}

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (this.#startup) {
        // StartupMessage: int32 length (itself included), no type byte.
        if (this.#buffer.length < 4) return;
        const length = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < length) return;
        this.#buffer = this.#buffer.subarray(length);
        this.#startup = false;
        continue;
      }
      if (this.#buffer.length < 5) return;
      const type = String.fromCharCode(this.#buffer[0]!);
      const length = this.#buffer.readInt32BE(1);
      if (this.#buffer.length < 1 + length) return;
      if (type === 'Q' || type === 'E') this.onStatement();
      this.#buffer = this.#buffer.subarray(1 + length);
    }
  }
}

export async function startPgCountingProxy(targetUrl: string): Promise<PgCountingProxy> {
  const target = new URL(targetUrl);
  const counts: PgCounts = { statements: 0, bytesToServer: 0, bytesFromServer: 0, connections: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    counts.connections++;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    const parser = new FrontendParser(() => counts.statements++);
    client.on('data', (chunk: Buffer) => {
      counts.bytesToServer += chunk.length;
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      counts.bytesFromServer += chunk.length;
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    counts: () => ({ ...counts }),
    reset() {
      counts.statements = counts.bytesToServer = counts.bytesFromServer = counts.connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
