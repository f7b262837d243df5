/**
 * What both reference servers share: a `ws` server on 127.0.0.1:0 that accepts any offered
 * sub-protocol (echoing it, like Parlor echoes the token), puts each connection in the room named
 * by the token's text before the first '.', and turns a SEND_MESSAGE frame into the same MESSAGE
 * frame shape Parlor sends (SPEC §2.4) so every target pays for the same bytes. The runner reads
 * `{"port":N}` from the first stdout line.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

interface SendMessageRequest {
  readonly Action?: unknown;
  readonly RequestId?: unknown;
  readonly Content?: unknown;
}

let nextId = 0;

/** The MESSAGE frame (as a JS value) for a parsed SEND_MESSAGE from `userId`; undefined for other input. */
export function messageFrame(raw: string, userId: string): object | undefined {
  const req = JSON.parse(raw) as SendMessageRequest;
  if (req.Action !== 'SEND_MESSAGE' || typeof req.Content !== 'string') return undefined;
  return {
    Type: 'MESSAGE',
    Id: (nextId++).toString(36).padStart(12, '0'),
    RequestId: typeof req.RequestId === 'string' ? req.RequestId : '',
    Content: req.Content,
    Attributes: {},
    SendTime: new Date().toISOString(),
    Sender: { UserId: userId, Attributes: {} },
  };
}

export interface ReferenceHooks<Member> {
  /** A socket joined: make its room member (the raw TCP socket is there for direct writes). */
  join(ws: WebSocket, socket: Duplex, token: string): Member;
  /** A text frame arrived from `from`; `room` holds every member of its room, `from` included. */
  message(from: Member, room: ReadonlySet<Member>, data: string, token: string): void;
}

export function startReferenceServer<Member>(hooks: ReferenceHooks<Member>): void {
  const rooms = new Map<string, Set<Member>>();
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => protocols.values().next().value ?? false });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const token = ws.protocol;
      const key = token.split('.')[0] ?? '';
      let room = rooms.get(key);
      if (room === undefined) rooms.set(key, (room = new Set()));
      const member = hooks.join(ws, socket, token);
      room.add(member);
      ws.on('message', (data) => hooks.message(member, room, String(data), token));
      ws.on('close', () => room.delete(member));
      ws.on('error', () => ws.terminate());
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}
