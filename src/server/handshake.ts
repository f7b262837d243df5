/**
 * The WebSocket handshake rules `ws` applies in handleUpgrade (RFC 6455 §4.2.1), checked
 * before the chat token is redeemed: an upgrade that `ws` would refuse must not use up the
 * token its client will need for the next, correct try.
 */
import type { IncomingMessage } from 'node:http';

const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** An HTTP token (RFC 7230 tchar), which each offered sub-protocol must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface HandshakeProblem {
  readonly status: 400 | 405;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Why `ws` would refuse this upgrade, or undefined when it will accept it. */
export function handshakeProblem(req: IncomingMessage): HandshakeProblem | undefined {
  if (req.method !== 'GET') return { status: 405, message: 'A WebSocket upgrade must be a GET' };
  const upgrade = req.headers.upgrade;
  if (upgrade === undefined || upgrade.toLowerCase() !== 'websocket') return { status: 400, message: 'Invalid Upgrade header' };
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY.test(key)) return { status: 400, message: 'Missing or invalid Sec-WebSocket-Key header' };
  const version = Number(req.headers['sec-websocket-version']);
  if (version !== 13 && version !== 8) {
    return { status: 400, message: 'Missing or invalid Sec-WebSocket-Version header', headers: { 'Sec-WebSocket-Version': '13, 8' } };
  }
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols !== undefined) {
    const offered = protocols.split(',').map((p) => p.replace(/^[ \t]+|[ \t]+$/g, ''));
    if (offered.some((p) => !TOKEN.test(p)) || new Set(offered).size !== offered.length) {
      return { status: 400, message: 'Invalid Sec-WebSocket-Protocol header' };
    }
  }
  return undefined;
}
