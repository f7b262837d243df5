/**
 * The load generator, run as a child process (pinned to its own core by the runner). Thousands
 * of raw TCP WebSocket clients in one process: publishers write masked SEND_MESSAGE frames at a
 * fixed rate with a send timestamp and sequence number in `Content`; every connection (the
 * publishers too: the sender gets its own message) records each MESSAGE it reads. Reads are
 * cheap: one clock reading per socket read, frames walked in place, only the Content digits
 * parsed. Driven over IPC by run.ts (see ipc.ts).
 */
import { connect, type Socket } from 'node:net';
import type { LoadgenToRunner, RoomTokens, RunnerToLoadgen } from './ipc.js';
import { Recorder } from './recorder.js';
import { maskedFrame, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT, readUpgradeResponse, scanFrames, upgradeRequest } from './ws-client-frames.js';

/** Microseconds on this process's monotonic clock (send and receive times are both taken here). */
const nowUs = (): number => Math.floor(performance.now() * 1000);

const CONTENT_KEY = Buffer.from('"Content":"P');
const ERROR_TYPE = Buffer.from('"Type":"ERROR"');
const DOT = 0x2e;

interface Conn {
  readonly index: number;
  readonly room: number;
  /** Publisher number inside the room, -1 for a subscriber. */
  readonly publisher: number;
  readonly token: string;
  /** The server port this connection opens to. */
  readonly port: number;
  socket: Socket | undefined;
  pending: Buffer | undefined;
  open: boolean;
}

const send = (msg: LoadgenToRunner): void => void process.send?.(msg);

let conns: Conn[] = [];
let connsPerRoom: number[] = [];
let recorder: Recorder | undefined;
let dropped = 0;
/** Whether publishers' deliveries (their own echo) count in the latency figures. */
let timePublishers = true;
let stopping = false;
const timers: NodeJS.Timeout[] = [];
let windowCpu: NodeJS.CpuUsage | undefined;
let windowCpuUs = 0;
let windowWallUs = 0;

/** Reads the unsigned decimal at `i`, stopping at '.'; returns [value, index after the dot]. */
function digits(buf: Buffer, i: number, end: number): [number, number] {
  let v = 0;
  while (i < end) {
    const c = buf[i++] as number;
    if (c === DOT) return [v, i];
    v = v * 10 + (c - 48);
  }
  return [-1, end];
}

function onText(conn: Conn, buf: Buffer, start: number, end: number, now: number): void {
  const rec = recorder;
  if (rec === undefined) return;
  const at = buf.indexOf(CONTENT_KEY, start);
  if (at >= 0 && at < end) {
    const [publisher, i1] = digits(buf, at + CONTENT_KEY.length, end);
    const [seq, i2] = digits(buf, i1, end);
    const [sentUs] = digits(buf, i2, end);
    if (publisher >= 0 && seq >= 0 && sentUs >= 0) rec.recordDelivery(conn.index, conn.room, publisher, seq, sentUs, now, timePublishers || conn.publisher < 0);
    return;
  }
  const errorAt = buf.indexOf(ERROR_TYPE, start);
  if (errorAt >= 0 && errorAt < end) {
    // Rare path: parse the whole frame to learn the code and which request was refused.
    const frame = JSON.parse(buf.toString('utf8', start, end)) as { ErrorCode?: number; RequestId?: string };
    const [p, s] = (frame.RequestId ?? '').split('-').map(Number);
    rec.recordRefusal(conn.room, p ?? -1, s ?? -1, frame.ErrorCode ?? 0);
  }
}

/** Every socket reads into this one buffer (Node's `onread`): no allocation per read. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

// The connection and clock of the read being scanned (the visitor is one shared function).
let scanning: Conn | undefined;
let scanNow = 0;

function visitFrame(opcode: number, b: Buffer, start: number, end: number): void {
  const conn = scanning!;
  if (opcode === OPCODE_TEXT) onText(conn, b, start, end, scanNow);
  else if (opcode === OPCODE_PING) conn.socket?.write(maskedFrame(OPCODE_PONG, b.subarray(start, end)));
  else if (opcode === OPCODE_CLOSE) conn.socket?.end(maskedFrame(OPCODE_CLOSE, b.subarray(start, Math.min(end, start + 2))));
}

/** Scans `buf[0, n)` after any bytes left over from the previous read; keeps a copy of the tail. */
function onData(conn: Conn, buf: Buffer, n: number): void {
  if (conn.pending !== undefined) {
    buf = Buffer.concat([conn.pending, buf.subarray(0, n)]);
    n = buf.length;
    conn.pending = undefined;
  }
  scanning = conn;
  scanNow = nowUs();
  const off = scanFrames(buf, n, visitFrame);
  if (off < 0) {
    conn.socket?.destroy();
    return;
  }
  if (off < n) conn.pending = Buffer.from(buf.subarray(off, n));
}

function open(conn: Conn, host: string): Promise<string | undefined> {
  const { port } = conn;
  return new Promise((resolve) => {
    const req = upgradeRequest(host, port, conn.token);
    let head: Buffer = Buffer.alloc(0);
    let settled = false;
    const settle = (reason: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reason);
    };
    const onHead = (buf: Buffer, n: number): void => {
      head = Buffer.concat([head, buf.subarray(0, n)]);
      const outcome = readUpgradeResponse(head, req.expectedAccept, conn.token);
      if (outcome.kind === 'incomplete') return;
      if (outcome.kind === 'refused') {
        socket.destroy();
        settle(outcome.reason);
        return;
      }
      conn.socket = socket;
      conn.open = true;
      if (outcome.rest.length > 0) onData(conn, outcome.rest, outcome.rest.length);
      settle(undefined);
    };
    const socket = connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number, buf: Uint8Array): boolean => {
          if (conn.open) onData(conn, buf as Buffer, n);
          else onHead(buf as Buffer, n);
          return true;
        },
      },
    });
    const timer = setTimeout(() => {
      socket.destroy();
      settle('handshake timeout (10 s)');
    }, 10_000);
    socket.on('connect', () => socket.write(req.bytes));
    socket.on('error', (err) => settle(err.message));
    socket.on('close', () => {
      if (conn.open && !stopping) dropped++;
      conn.open = false;
      settle('closed during handshake');
    });
  });
}

async function connectAll(msg: Extract<RunnerToLoadgen, { type: 'connect' }>): Promise<void> {
  const { host, port, rooms, concurrency } = msg;
  const subscriberPort = msg.subscriberPort ?? port;
  timePublishers = msg.timePublishers ?? true;
  const started = Date.now();
  conns = [];
  connsPerRoom = rooms.map((r) => r.publishers.length + r.subscribers.length);
  rooms.forEach((r, room) => {
    r.publishers.forEach((token, publisher) => conns.push({ index: conns.length, room, publisher, token, port, socket: undefined, pending: undefined, open: false }));
    r.subscribers.forEach((token) => conns.push({ index: conns.length, room, publisher: -1, token, port: subscriberPort, socket: undefined, pending: undefined, open: false }));
  });
  let next = 0;
  let failed = 0;
  const reasons = new Set<string>();
  const worker = async (): Promise<void> => {
    while (next < conns.length) {
      const conn = conns[next++]!;
      const reason = await open(conn, host);
      if (reason !== undefined) {
        failed++;
        if (reasons.size < 5) reasons.add(reason);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, conns.length) }, worker));
  send({ type: 'connected', open: conns.length - failed, failed, reasons: [...reasons], seconds: (Date.now() - started) / 1000 });
}

function publish(perPublisherHz: number, maxSeq: number, contentBytes: number): void {
  const publishers = conns.filter((c) => c.publisher >= 0);
  const maxPublishers = Math.max(1, ...publishers.map((c) => c.publisher + 1));
  recorder = new Recorder(connsPerRoom.length, maxPublishers, maxSeq, conns.length);
  const rec = recorder;
  const periodMs = 1000 / perPublisherHz;
  const t0 = performance.now();
  // Publisher k sends its message n at t0 + (k / publishers + n) periods: evenly staggered, so a
  // room sees a steady stream. A tick at that spacing sends whatever is due, catching up after
  // a late tick so that a busy load generator still offers the full rate (bursts stay far
  // below the per-connection bucket of 10).
  const senders = publishers.map((conn, k) => ({ conn, seq: 0, firstMs: t0 + (periodMs * k) / publishers.length }));
  const tick = (): void => {
    const now = performance.now();
    for (const sender of senders) {
      const { conn } = sender;
      while (!stopping && conn.open && sender.seq < maxSeq && sender.firstMs + sender.seq * periodMs <= now) {
        const seq = sender.seq++;
        const ts = nowUs();
        const head = `P${conn.publisher}.${seq}.${ts}.`;
        const content = head.length < contentBytes ? head + 'x'.repeat(contentBytes - head.length) : head;
        const json = `{"Action":"SEND_MESSAGE","RequestId":"${conn.publisher}-${seq}","Content":"${content}"}`;
        conn.socket?.write(maskedFrame(OPCODE_TEXT, Buffer.from(json)));
        rec.recordSend(conn.room, conn.publisher, seq, ts);
      }
    }
  };
  timers.push(setInterval(tick, Math.max(1, periodMs / publishers.length)));
}

async function stop(drainMs: number): Promise<void> {
  stopping = true;
  for (const t of timers) clearTimeout(t);
  const rec = recorder;
  if (rec === undefined) throw new Error('stop before publish');
  const deadline = Date.now() + drainMs;
  let tally = rec.tally(connsPerRoom);
  while (tally.missing > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    tally = rec.tally(connsPerRoom);
  }
  const errors: Record<string, number> = {};
  for (const [code, n] of rec.errors) errors[String(code)] = n;
  send({
    type: 'result',
    connections: conns.length,
    sent: rec.sent,
    sentInWindow: rec.sentInWindow,
    errors,
    deliveriesInWindow: rec.deliveriesInWindow,
    windowSeconds: windowWallUs / 1e6,
    p50Ms: rec.percentileMs(50),
    p90Ms: rec.percentileMs(90),
    p99Ms: rec.percentileMs(99),
    maxMs: rec.percentileMs(100),
    lost: tally.missing,
    duplicates: tally.surplus,
    outOfOrder: rec.outOfOrder,
    dropped,
    loadgenCpuPercent: windowWallUs > 0 ? (100 * windowCpuUs) / windowWallUs : Number.NaN,
  });
  for (const c of conns) c.socket?.destroy();
}

// A clean exit on SIGTERM.
process.on('SIGTERM', () => process.exit(0));

process.on('message', (msg: RunnerToLoadgen) => {
  switch (msg.type) {
    case 'connect':
      void connectAll(msg);
      break;
    case 'publish':
      publish(msg.perPublisherHz, msg.maxSeq, msg.contentBytes);
      break;
    case 'window-start':
      if (recorder) recorder.windowStartUs = nowUs();
      windowCpu = process.cpuUsage();
      send({ type: 'window-started' });
      break;
    case 'window-end': {
      if (recorder) {
        recorder.windowEndUs = nowUs();
        windowWallUs = recorder.windowEndUs - recorder.windowStartUs;
      }
      const cpu = process.cpuUsage(windowCpu);
      windowCpuUs = cpu.user + cpu.system;
      break;
    }
    case 'stop':
      void stop(msg.drainMs).then(() => process.disconnect());
      break;
    default: {
      const never: never = msg;
      throw new Error(`unknown message ${JSON.stringify(never)}`);
    }
  }
});
