/** A chat connection without a transport, for tests of the chat core: keeps frames (parsed) and the close code. */
import type { ChatConnection, WireFrame } from '../../src/chat/connection.js';

export class FakeConnection implements ChatConnection {
  readonly ip = '192.0.2.1';
  readonly frames: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  send(frame: WireFrame): void {
    this.frames.push(JSON.parse(Buffer.from(frame).toString('utf8')) as Record<string, unknown>);
  }
  close(code: number): void {
    this.closedWith = code;
  }
}
