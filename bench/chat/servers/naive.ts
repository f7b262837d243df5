/**
 * Reference server (a): the naive `ws` broadcast. Per incoming frame: JSON.parse, build the
 * outgoing object, one JSON.stringify, then `send(str)` to every member — one frame build and
 * one write system call per delivery.
 */
import type { WebSocket } from 'ws';
import { messageFrame, startReferenceServer } from './reference-room.js';

startReferenceServer<WebSocket>({
  join: (ws) => ws,
  message(_from, room, data, token) {
    const frame = messageFrame(data, token);
    if (frame === undefined) return;
    const text = JSON.stringify(frame);
    for (const member of room) member.send(text);
  },
});
