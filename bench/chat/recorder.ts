/**
 * Delivery bookkeeping of the load generator, in flat typed arrays sized up front so recording
 * a delivery allocates nothing: a latency histogram (100 µs buckets), a delivery count per
 * message (room, publisher, seq) for loss and duplicates, and the last seq seen per
 * (connection, publisher) for per-sender order.
 */

const BUCKET_US = 100;
const MAX_LATENCY_US = 60_000_000;

const histogram = (): Uint32Array => new Uint32Array(MAX_LATENCY_US / BUCKET_US + 1);

/** Latency percentile in milliseconds (upper edge of the bucket); NaN without samples. */
function percentileOf(latency: Uint32Array, p: number): number {
  let total = 0;
  for (let i = 0; i < latency.length; i++) total += latency[i]!;
  if (total === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let i = 0; i < latency.length; i++) {
    seen += latency[i]!;
    if (seen >= rank) return ((i + 1) * BUCKET_US) / 1000;
  }
  return Number.NaN;
}

export class Recorder {
  readonly latency = histogram();
  /** Deliveries per message; index = (room * publishers + publisher) * maxSeq + seq. */
  readonly delivered: Uint16Array;
  /** 1 once the message was written by its publisher, 2 once the server refused it (ERROR). */
  readonly state: Uint8Array;
  /** Last seq per (connection, publisher); -1 before the first. */
  readonly lastSeq: Int32Array;
  windowStartUs = 0;
  windowEndUs = Number.POSITIVE_INFINITY;
  deliveriesInWindow = 0;
  outOfOrder = 0;
  sent = 0;
  sentInWindow = 0;
  readonly errors = new Map<number, number>();

  constructor(
    rooms: number,
    readonly publishersPerRoom: number,
    readonly maxSeq: number,
    connections: number,
  ) {
    this.delivered = new Uint16Array(rooms * publishersPerRoom * maxSeq);
    this.state = new Uint8Array(rooms * publishersPerRoom * maxSeq);
    this.lastSeq = new Int32Array(connections * publishersPerRoom).fill(-1);
  }

  messageIndex(room: number, publisher: number, seq: number): number {
    return (room * this.publishersPerRoom + publisher) * this.maxSeq + seq;
  }

  recordSend(room: number, publisher: number, seq: number, nowUs: number): void {
    const i = this.messageIndex(room, publisher, seq);
    this.state[i] = 1;
    this.sent++;
    if (nowUs >= this.windowStartUs && nowUs < this.windowEndUs && this.windowStartUs > 0) this.sentInWindow++;
  }

  recordRefusal(room: number, publisher: number, seq: number, code: number): void {
    if (publisher >= 0 && publisher < this.publishersPerRoom && seq >= 0 && seq < this.maxSeq) {
      this.state[this.messageIndex(room, publisher, seq)] = 2;
    }
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** One MESSAGE frame read by connection `conn` of `room` at `nowUs`; `timed`: it counts in the latency figures. */
  recordDelivery(conn: number, room: number, publisher: number, seq: number, sentUs: number, nowUs: number, timed = true): void {
    if (publisher >= this.publishersPerRoom || seq >= this.maxSeq) return;
    const i = this.messageIndex(room, publisher, seq);
    if (this.delivered[i] !== 0xffff) this.delivered[i]!++;
    const slot = conn * this.publishersPerRoom + publisher;
    if (seq <= this.lastSeq[slot]!) this.outOfOrder++;
    else this.lastSeq[slot] = seq;
    if (nowUs >= this.windowStartUs && nowUs < this.windowEndUs && this.windowStartUs > 0) this.deliveriesInWindow++;
    if (timed && sentUs >= this.windowStartUs && sentUs < this.windowEndUs && this.windowStartUs > 0) {
      const bucket = Math.min(Math.max(0, Math.floor((nowUs - sentUs) / BUCKET_US)), this.latency.length - 1);
      this.latency[bucket]!++;
    }
  }

  /** Deliveries still missing and surplus ones, given each room's connection count. */
  tally(connectionsPerRoom: readonly number[]): { missing: number; surplus: number } {
    let missing = 0;
    let surplus = 0;
    for (let room = 0; room < connectionsPerRoom.length; room++) {
      const expected = connectionsPerRoom[room]!;
      const from = room * this.publishersPerRoom * this.maxSeq;
      const to = from + this.publishersPerRoom * this.maxSeq;
      for (let i = from; i < to; i++) {
        if (this.state[i] !== 1) continue;
        const got = this.delivered[i]!;
        if (got < expected) missing += expected - got;
        else surplus += got - expected;
      }
    }
    return { missing, surplus };
  }

  /** Latency percentile in milliseconds (upper edge of the bucket); NaN without samples. */
  percentileMs(p: number): number {
    return percentileOf(this.latency, p);
  }
}
