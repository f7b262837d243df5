/**
 * `npm run bench:history-writes -- [--seconds 10] [--rounds 2] [--rooms 20] [--rate 200]` —
 * how long embedded history writes hold the event loop: a HistoryWriter-sized batch (every
 * 20 ms, `--rate` messages/s spread over `--rooms` rooms keeping 1,000 each) applied to a
 * fresh history.db, with SQLite's own checkpoint (inside the commit that crosses 1,000 WAL
 * pages: the baseline) and with the worker-thread checkpointer, alternating in one run.
 * Prints the batch time's p50/p99/max and the event loop's delay p99/max, in ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { HISTORY_FLUSH_MS } from '../../src/history/history-writer.js';
import type { HistoryOp } from '../../src/history/message-history.js';
import { SqliteMessageHistory } from '../../src/history/sqlite-message-history.js';
import { CHECKPOINT_EVERY_MS } from '../../src/history/sqlite-checkpointer.js';
import { percentile } from '../percentile.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' }, rooms: { type: 'string', default: '20' }, rate: { type: 'string', default: '200' } },
});
const seconds = Number(values.seconds);
const rooms = Number(values.rooms);
const perBatch = Math.max(1, Math.round((Number(values.rate) * HISTORY_FLUSH_MS) / 1000));
const frame = JSON.stringify({ Type: 'MESSAGE', Id: 'AbCdEfGhIjKl', RequestId: 'r-1', Content: 'a chat message of about eighty characters, typical of a live stream chat', Attributes: {}, SendTime: new Date().toISOString(), Sender: { UserId: 'viewer-1234', Attributes: { role: 'viewer' } } });
const ms = (ns: number) => (ns / 1e6).toFixed(2);

async function run(checkpointEveryMs: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'parlor-history-bench-'));
  const history = new SqliteMessageHistory(join(dir, 'history.db'), checkpointEveryMs);
  const batches: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let n = 0;
  loop.enable();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const ops: HistoryOp[] = [];
    for (let i = 0; i < perBatch; i++, n++) {
      ops.push({ kind: 'keep', roomArn: `room-${n % rooms}`, message: { id: `m${n}`, sendTime: Date.now(), frame }, limit: 1000 });
    }
    const t = process.hrtime.bigint();
    await history.apply(ops);
    batches.push(Number(process.hrtime.bigint() - t));
    await delay(HISTORY_FLUSH_MS);
  }
  loop.disable();
  await history.close();
  rmSync(dir, { recursive: true, force: true });
  batches.sort((a, b) => a - b);
  return `batches ${batches.length}  batch p50 ${ms(percentile(batches, 50))}  p99 ${ms(percentile(batches, 99))}  max ${ms(batches[batches.length - 1]!)}  |  loop delay p99 ${ms(loop.percentile(99))}  max ${ms(loop.max)}`;
}

console.log(`${perBatch} messages per batch every ${HISTORY_FLUSH_MS} ms over ${rooms} rooms, ${seconds} s per run (ms)`);
for (let round = 1; round <= Number(values.rounds); round++) {
  console.log(`round ${round}  sqlite checkpoint in commits : ${await run(0)}`);
  console.log(`round ${round}  worker-thread checkpointer   : ${await run(CHECKPOINT_EVERY_MS)}`);
}
