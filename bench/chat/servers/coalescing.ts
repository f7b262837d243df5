/**
 * Reference server (b): coalescing. Same parse and single stringify, but the frame is built once
 * as a complete WebSocket frame (one shared buffer) and queued on each member; at the end of the
 * event-loop turn every member with queued frames gets ONE write (corked, so libuv issues one
 * writev). A member whose unsent bytes exceed 4 MiB is dropped (bounded send buffer).
 */
import type { Duplex } from 'node:stream';
import { messageFrame, startReferenceServer } from './reference-room.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

interface Member {
  readonly socket: Duplex;
  readonly queue: Buffer[];
}

const dirty: Member[] = [];
let flushScheduled = false;

function textFrame(text: string): Buffer {
  const len = Buffer.byteLength(text);
  const header = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + len);
  frame[0] = 0x81;
  if (len < 126) frame[1] = len;
  else if (len < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  frame.write(text, header);
  return frame;
}

function flush(): void {
  flushScheduled = false;
  for (const member of dirty) {
    const { socket, queue } = member;
    if (socket.destroyed) {
      queue.length = 0;
      continue;
    }
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
      queue.length = 0;
      socket.destroy();
      continue;
    }
    if (queue.length === 1) socket.write(queue[0]!);
    else {
      socket.cork();
      for (const frame of queue) socket.write(frame);
      socket.uncork();
    }
    queue.length = 0;
  }
  dirty.length = 0;
}

startReferenceServer<Member>({
  join: (_ws, socket) => ({ socket, queue: [] }),
  message(_from, room, data, token) {
    const frame = messageFrame(data, token);
    if (frame === undefined) return;
    const bytes = textFrame(JSON.stringify(frame));
    for (const member of room) {
      if (member.queue.push(bytes) === 1) dirty.push(member);
    }
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  },
});
