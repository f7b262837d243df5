/**
 * A TCP pass-through in front of test servers: to cut connections abruptly (RST, no close
 * frame) the way a network failure does, and, given several ports, as a small round-robin
 * load balancer (each new connection goes to the next port; one refused goes on to the
 * following port, as nginx's `proxy_next_upstream error` does).
 */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  readonly url: string;
  /** Resets every proxied connection (both sides); new connections still pass. */
  dropAll(): void;
  readonly connectionsSeen: () => number;
  /** Connections handed to each target port so far. */
  readonly connectionsTo: (port: number) => number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: number | readonly number[]): Promise<TcpProxy> {
  const ports = typeof target === 'number' ? [target] : [...target];
  const pairs = new Set<[Socket, Socket]>();
  const perPort = new Map<number, number>();
  let seen = 0;
  let next = 0;
  /** Connects to the next port in turn; on a refusal tries the following ones (each once). */
  const upstreamFor = (client: Socket, attempt = 0): void => {
    const port = ports[next++ % ports.length]!;
    const upstream = connect(port, '127.0.0.1');
    const refused = (): void => {
      upstream.destroy();
      if (attempt + 1 < ports.length && !client.destroyed) upstreamFor(client, attempt + 1);
      else client.destroy();
    };
    upstream.once('error', refused);
    upstream.once('connect', () => {
      upstream.off('error', refused);
      perPort.set(port, (perPort.get(port) ?? 0) + 1);
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    seen++;
    client.on('error', () => client.destroy());
    upstreamFor(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    connectionsSeen: () => seen,
    connectionsTo: (p) => perPort.get(p) ?? 0,
    dropAll() {
      for (const [client, upstream] of [...pairs]) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
