/**
 * A test double for review handlers on 127.0.0.1, port 0, speaking both ways Parlor calls one:
 * the Lambda Invoke API (`POST /2015-03-31/functions/<FunctionName>/invocations`) and plain
 * webhooks (`POST /hooks/<name>`). What a handler answers is set per function name with `on`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReviewRequest } from '../../src/review/review-gate.js';

export type HandlerReply =
  /** 200 with this JSON value. */
  | { readonly kind: 'json'; readonly body: unknown }
  /** 200 with these exact bytes (malformed answers). */
  | { readonly kind: 'raw'; readonly body: string }
  /** This HTTP status with a body. */
  | { readonly kind: 'status'; readonly status: number; readonly body: string }
  /** Lambda's function-error answer: 200, `X-Amz-Function-Error: Unhandled`, an error body. */
  | { readonly kind: 'function-error' }
  /** Answers `then` after `ms` milliseconds, unless the caller hangs up first. */
  | { readonly kind: 'slow'; readonly ms: number; readonly then: HandlerReply };

export type Behaviour = (request: ReviewRequest) => HandlerReply;

export interface ReceivedCall {
  readonly name: string;
  readonly via: 'lambda' | 'webhook';
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: ReviewRequest;
  /** Resolves when the caller closed the connection before the answer was written. */
  readonly hungUp: Promise<void>;
}

export interface FakeHandlers {
  /** `http://127.0.0.1:<port>` — the Lambda endpoint. */
  readonly url: string;
  /** The webhook URL of handler `name`. */
  hookUrl(name: string): string;
  /** The function ARN whose name is `name`. */
  arn(name: string, region?: string): string;
  on(name: string, behaviour: Behaviour): void;
  readonly calls: ReceivedCall[];
  /** Resolves once `count` calls have arrived (rejects after `ms`). */
  waitForCalls(count: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export const allow = (content?: string, attributes?: Record<string, string>): HandlerReply => ({
  kind: 'json',
  body: { ReviewResult: 'ALLOW', ...(content === undefined ? {} : { Content: content }), ...(attributes ? { Attributes: attributes } : {}) },
});
export const deny = (reason?: string): HandlerReply => ({
  kind: 'json',
  body: { ReviewResult: 'DENY', ...(reason === undefined ? {} : { Attributes: { Reason: reason } }) },
});

const LAMBDA_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const HOOK_PATH = /^\/hooks\/([^/]+)$/;

export async function startFakeHandlers(): Promise<FakeHandlers> {
  const behaviours = new Map<string, Behaviour>();
  const calls: ReceivedCall[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const lambda = LAMBDA_PATH.exec(path);
    const hook = HOOK_PATH.exec(path);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || (!lambda && !hook)) {
        res.writeHead(404).end();
        return;
      }
      const functionName = decodeURIComponent((lambda ?? hook)![1]!);
      const name = functionName.includes(':function:') ? functionName.split(':function:')[1]!.split(':')[0]! : functionName;
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(rawBody) as ReviewRequest;
      const hungUp = new Promise<void>((resolve) => res.on('close', () => { if (!res.writableFinished) resolve(); }));
      calls.push({ name, via: lambda ? 'lambda' : 'webhook', headers: req.headers, rawBody, body, hungUp });
      for (const w of waiters.splice(0)) w();
      const behaviour = behaviours.get(name);
      if (!behaviour) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"Type":"User","message":"Function not found"}');
        return;
      }
      const reply = (r: HandlerReply): void => {
        if (res.destroyed) return;
        switch (r.kind) {
          case 'json':
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
            return;
          case 'raw':
            res.writeHead(200, { 'content-type': 'application/json' }).end(r.body);
            return;
          case 'status':
            res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body);
            return;
          case 'function-error':
            res
              .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
              .end(JSON.stringify({ errorType: 'Error', errorMessage: 'handler crashed' }));
            return;
          case 'slow': {
            const timer = setTimeout(() => reply(r.then), r.ms);
            res.on('close', () => clearTimeout(timer));
            return;
          }
        }
      };
      reply(behaviour(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hookUrl: (name) => `${url}/hooks/${name}`,
    arn: (name, region = 'us-east-1') => `arn:aws:lambda:${region}:123456789012:function:${name}`,
    on: (name, behaviour) => void behaviours.set(name, behaviour),
    calls,
    waitForCalls(count, ms = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} handler calls within ${ms} ms, got ${calls.length}`)), ms);
        const check = (): void => {
          if (calls.length >= count) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `promise`, or a rejection naming `what` after `ms` milliseconds. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
