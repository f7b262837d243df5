/**
 * The on-disk spool: batches that could not be delivered yet, kept under `<root>` so they
 * survive a destination outage and a restart. One directory per lane (a configuration's
 * destination for one room), named by a hash of the lane key, holding `lane.json` (the lane's
 * configuration ARN and target) and one append-only segment file per batch,
 * `<seq, 12 digits>.seg`: a header line `{"batchId":…}` then one `<at> <record line>` per
 * entry. Segments are written to a temporary name, fsynced and renamed (complete or absent),
 * read back in `seq` order, rewritten the same way when part of a batch was accepted, and
 * removed once acknowledged. The total size is bounded by a Budget shared by all lanes.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatLogBatch, ChatLogEntry, ChatLogTarget } from './chat-log-sink.js';

export interface LaneMeta {
  readonly configurationArn: string;
  readonly target: ChatLogTarget;
}

export interface Segment {
  readonly seq: number;
  readonly bytes: number;
}

export function laneKey(meta: LaneMeta): string {
  const t = meta.target;
  return [meta.configurationArn, t.kind, t.name, t.accountId, t.region, t.roomId].join('\n');
}

function encodeSegment(batch: ChatLogBatch): string {
  let text = JSON.stringify({ batchId: batch.batchId }) + '\n';
  for (const e of batch.entries) text += `${e.at} ${e.line}\n`;
  return text;
}

function decodeSegment(text: string, target: ChatLogTarget): ChatLogBatch {
  const lines = text.split('\n');
  const header = JSON.parse(lines[0]!) as { batchId: string };
  const entries: ChatLogEntry[] = [];
  for (const l of lines.slice(1)) {
    if (l === '') continue;
    const space = l.indexOf(' ');
    entries.push({ at: Number(l.slice(0, space)), line: l.slice(space + 1) });
  }
  return { target, batchId: header.batchId, entries };
}

async function writeDurably(path: string, text: string): Promise<number> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  return Buffer.byteLength(text);
}

/** The spool of one lane. Calls must not overlap (the lane serialises them). */
export class LaneSpool {
  private nextSeq: number;
  private created = false;

  private constructor(
    readonly dir: string,
    readonly meta: LaneMeta,
    existing: readonly Segment[],
  ) {
    this.nextSeq = existing.length > 0 ? existing[existing.length - 1]!.seq + 1 : 0;
    this.created = existing.length > 0;
  }

  static forLane(root: string, meta: LaneMeta): LaneSpool {
    const dir = join(root, createHash('sha256').update(laneKey(meta)).digest('hex').slice(0, 32));
    return new LaneSpool(dir, meta, []);
  }

  /** Lanes under `root` that hold segments, in order; removes temp files and empty lanes. */
  static async scan(root: string): Promise<{ spool: LaneSpool; segments: Segment[] }[]> {
    await mkdir(root, { recursive: true });
    const found: { spool: LaneSpool; segments: Segment[] }[] = [];
    for (const name of (await readdir(root)).sort()) {
      const dir = join(root, name);
      let meta: LaneMeta;
      try {
        meta = JSON.parse(await readFile(join(dir, 'lane.json'), 'utf8')) as LaneMeta;
      } catch {
        continue;
      }
      const segments: Segment[] = [];
      for (const file of (await readdir(dir)).sort()) {
        if (file.endsWith('.tmp')) await unlink(join(dir, file));
        else if (/^\d{12}\.seg$/.test(file)) segments.push({ seq: Number(file.slice(0, 12)), bytes: (await stat(join(dir, file))).size });
      }
      if (segments.length === 0) await rm(dir, { recursive: true, force: true });
      else found.push({ spool: new LaneSpool(dir, meta, segments), segments });
    }
    return found;
  }

  private path(seq: number): string {
    return join(this.dir, `${String(seq).padStart(12, '0')}.seg`);
  }

  /** Bytes `batch` will take on disk (to check the budget before writing). */
  static sizeOf(batch: ChatLogBatch): number {
    return Buffer.byteLength(encodeSegment(batch));
  }

  async append(batch: ChatLogBatch): Promise<Segment> {
    if (!this.created) {
      await mkdir(this.dir, { recursive: true });
      await writeDurably(join(this.dir, 'lane.json'), JSON.stringify(this.meta));
      this.created = true;
    }
    const seq = this.nextSeq++;
    const bytes = await writeDurably(this.path(seq), encodeSegment(batch));
    return { seq, bytes };
  }

  async read(segment: Segment): Promise<ChatLogBatch> {
    return decodeSegment(await readFile(this.path(segment.seq), 'utf8'), this.meta.target);
  }

  /** Replaces a segment's content (the entries still to deliver), keeping its place. */
  async rewrite(segment: Segment, batch: ChatLogBatch): Promise<Segment> {
    return { seq: segment.seq, bytes: await writeDurably(this.path(segment.seq), encodeSegment(batch)) };
  }

  async remove(segment: Segment): Promise<void> {
    await unlink(this.path(segment.seq));
  }
}
