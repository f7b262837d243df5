/**
 * The abusive client of bench:flood, in its own process (its CPU is not the subscribers'): a
 * viewer token with no capabilities, sending invalid JSON in bursts as fast as the socket
 * takes it and reading every answer (so it is never dropped as a slow reader). Prints one
 * JSON line when its connection ends: frames sent, answers read, close code, milliseconds.
 * Usage: abuser.ts <wsUrl> <token>
 */
import { WebSocket } from 'ws';

const [url, token] = process.argv.slice(2);
const ws = new WebSocket(url!, token!);
let sent = 0;
let answers = 0;
let openedAt = 0;
const BURST = 200;
ws.on('message', () => answers++);
ws.on('open', () => {
  openedAt = performance.now();
  console.log(JSON.stringify({ open: true }));
  const pump = (): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    // Keep a little in flight and no more, like a client that wants every answer back.
    if (ws.bufferedAmount < 64 * 1024) {
      for (let i = 0; i < BURST; i++) ws.send('{"action":"SEND_MESSAGE","requestId":"x","content":');
      sent += BURST;
    }
    setImmediate(pump);
  };
  pump();
});
ws.on('close', (code) => {
  console.log(JSON.stringify({ sent, answers, code, ms: Math.round(performance.now() - openedAt) }));
  process.exit(0);
});
ws.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
