/**
 * The client half of RFC 6455 as the load generator needs it, written for cheap reads: the
 * upgrade request and its check, masked client frames, and a scanner that walks MANY server
 * frames in one read buffer without allocating per frame (it hands out offsets into the buffer).
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE_TEXT = 0x1;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;

export interface UpgradeRequest {
  readonly bytes: Buffer;
  /** The Sec-WebSocket-Accept value a correct server must answer with. */
  readonly expectedAccept: string;
}

/** GET / with `Sec-WebSocket-Protocol: <token>` (the token is the one offered sub-protocol). */
export function upgradeRequest(host: string, port: number, token: string): UpgradeRequest {
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1').update(key + GUID).digest('base64');
  const text =
    `GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${token}\r\n\r\n`;
  return { bytes: Buffer.from(text, 'latin1'), expectedAccept };
}

export type UpgradeOutcome =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'open'; readonly rest: Buffer };

/** Checks a (possibly partial) upgrade response: 101, the accept hash and the echoed token. */
export function readUpgradeResponse(buf: Buffer, expectedAccept: string, token: string): UpgradeOutcome {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > 16384 ? { kind: 'refused', reason: 'oversized response head' } : { kind: 'incomplete' };
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  const status = lines[0] ?? '';
  if (!/^HTTP\/1\.1 101 /.test(status)) return { kind: 'refused', reason: status };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  if (headers.get('sec-websocket-accept') !== expectedAccept) return { kind: 'refused', reason: 'bad Sec-WebSocket-Accept' };
  if (headers.get('sec-websocket-protocol') !== token) return { kind: 'refused', reason: 'sub-protocol not echoed' };
  return { kind: 'open', rest: buf.subarray(end + 4) };
}

const maskScratch = Buffer.alloc(4);

/** One complete masked client frame (FIN set) carrying `payload`. */
export function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const header = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + 4 + len);
  frame[0] = 0x80 | opcode;
  if (len < 126) frame[1] = 0x80 | len;
  else if (len < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  randomFillSync(maskScratch);
  maskScratch.copy(frame, header);
  const body = header + 4;
  for (let i = 0; i < len; i++) frame[body + i] = (payload[i] as number) ^ (maskScratch[i & 3] as number);
  return frame;
}

/** Called once per complete server frame with the payload's [start, end) inside `buf`. */
export type FrameVisitor = (opcode: number, buf: Buffer, start: number, end: number) => void;

/**
 * Walks every complete frame in `buf[0, n)` and returns the offset of the first incomplete one
 * (n when none is left over), or -1 on a protocol violation (a masked or fragmented server
 * frame: the IVS API sends neither).
 */
export function scanFrames(buf: Buffer, n: number, visit: FrameVisitor): number {
  let off = 0;
  while (n - off >= 2) {
    const b0 = buf[off] as number;
    const b1 = buf[off + 1] as number;
    if (b1 & 0x80 || (b0 & 0x80) === 0) return -1;
    let len = b1 & 0x7f;
    let header = 2;
    if (len === 126) {
      if (n - off < 4) break;
      len = buf.readUInt16BE(off + 2);
      header = 4;
    } else if (len === 127) {
      if (n - off < 10) break;
      len = buf.readUInt32BE(off + 2) * 0x100000000 + buf.readUInt32BE(off + 6);
      header = 10;
    }
    const start = off + header;
    const end = start + len;
    if (end > n) break;
    visit(b0 & 0x0f, buf, start, end);
    off = end;
  }
  return off;
}
