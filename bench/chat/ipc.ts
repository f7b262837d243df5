/** Messages between the runner (bench/chat/run.ts) and the load-generator child, over Node IPC. */

export interface RoomTokens {
  /** One token per publisher connection (these send SEND_MESSAGE frames). */
  readonly publishers: readonly string[];
  /** One token per subscriber connection (these only read). */
  readonly subscribers: readonly string[];
}

export type RunnerToLoadgen =
  /**
   * Open every connection: publishers to `port`; subscribers to `subscriberPort` when given (a
   * second cluster node), else to `port`. With `timePublishers: false` the latency figures count
   * only subscribers' deliveries (their path may differ from the publishers' own echo).
   */
  | {
      readonly type: 'connect';
      readonly host: string;
      readonly port: number;
      readonly subscriberPort?: number;
      readonly timePublishers?: boolean;
      readonly rooms: readonly RoomTokens[];
      readonly concurrency: number;
    }
  /** Start publishing: every publisher sends `perPublisherHz` frames a second, at most `maxSeq` each. */
  | { readonly type: 'publish'; readonly perPublisherHz: number; readonly maxSeq: number; readonly contentBytes: number }
  | { readonly type: 'window-start' }
  | { readonly type: 'window-end' }
  /** Stop publishing, wait up to `drainMs` for outstanding deliveries, then report. */
  | { readonly type: 'stop'; readonly drainMs: number };

export interface ConnectReport {
  readonly type: 'connected';
  readonly open: number;
  readonly failed: number;
  /** A few distinct refusal reasons, for the log. */
  readonly reasons: readonly string[];
  readonly seconds: number;
}

export interface StepResult {
  readonly type: 'result';
  readonly connections: number;
  /** SEND_MESSAGE frames written, in total and whose send time fell in the window. */
  readonly sent: number;
  readonly sentInWindow: number;
  /** ERROR frames received, by ErrorCode (e.g. 429 from a rate limit). */
  readonly errors: Readonly<Record<string, number>>;
  /** Deliveries (MESSAGE frames read by any connection) whose read time fell in the window. */
  readonly deliveriesInWindow: number;
  readonly windowSeconds: number;
  /** Send-to-receive latency of messages sent in the window, milliseconds. */
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Expected deliveries of accepted messages that had not arrived when the drain ended. */
  readonly lost: number;
  /** Deliveries beyond one per connection and message, and per-sender order violations. */
  readonly duplicates: number;
  readonly outOfOrder: number;
  /** Connections the server closed or reset during the step. */
  readonly dropped: number;
  /** Load generator CPU over the window, percent of one core (near 100 = it was the limit). */
  readonly loadgenCpuPercent: number;
}

export type LoadgenToRunner = ConnectReport | { readonly type: 'window-started' } | StepResult;
