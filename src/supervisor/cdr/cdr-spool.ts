// The durable local spool: CDRs the database could not take, one JSON line each, appended and
// fsync'd before the sink acknowledges them. Replay works on a renamed copy
// (cdr-spool.replaying.jsonl) so new records keep appending to the live file behind it, which
// keeps the order; a crash at any point leaves files the next start replays again (the table
// ignores rows it already has). Lines that are not valid records are moved to
// cdr-spool.rejected.jsonl with the reason, never replayed and never dropped.

import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cdrRecordToJson, parseCdrRecord, type CdrRecord } from './cdr-record';

export const SPOOL_FORMAT_VERSION = 1;

export interface SpoolChunk {
  records: CdrRecord[];
  /** Lines that did not parse or validate, with why. */
  corrupt: { line: string; reason: string }[];
}

export class CdrSpool {
  readonly livePath: string;
  readonly replayingPath: string;
  readonly rejectedPath: string;
  private readonly dir: string;
  private live: FileHandle | null = null;

  constructor(dir: string, baseName = 'cdr-spool') {
    this.dir = dir;
    this.livePath = join(dir, `${baseName}.jsonl`);
    this.replayingPath = join(dir, `${baseName}.replaying.jsonl`);
    this.rejectedPath = join(dir, `${baseName}.rejected.jsonl`);
  }

  /** Appends the records and fsyncs; resolves only once they are on disk. */
  async append(records: readonly CdrRecord[]): Promise<void> {
    if (records.length === 0) return;
    const fh = await this.openLive();
    const text = records.map((r) => JSON.stringify({ v: SPOOL_FORMAT_VERSION, cdr: cdrRecordToJson(r) })).join('\n') + '\n';
    await fh.write(text);
    await fh.datasync();
  }

  /** Whether anything waits to be replayed. */
  async hasPending(): Promise<boolean> {
    return (await sizeOf(this.replayingPath)) > 0 || (await sizeOf(this.livePath)) > 0;
  }

  /** Bytes waiting to be replayed (the live and replaying files): the spool's depth for /metrics. */
  async pendingBytes(): Promise<number> {
    const sizes = await Promise.all([sizeOf(this.livePath), sizeOf(this.replayingPath)]);
    return sizes.reduce((sum, size) => sum + Math.max(0, size), 0);
  }

  /** Makes the live spool the replaying file, unless one is already there (an earlier replay
   *  that did not finish goes first). False when there is nothing to replay. The caller makes
   *  sure no append runs at the same time. */
  async rotate(): Promise<boolean> {
    if ((await sizeOf(this.replayingPath)) > 0) return true;
    if ((await sizeOf(this.livePath)) <= 0) return false;
    await this.closeLive();
    await rename(this.livePath, this.replayingPath);
    await this.syncDir();
    return true;
  }

  /** The replaying file in order, `size` valid records at a time. */
  async *readReplaying(size: number): AsyncGenerator<SpoolChunk> {
    const lines = createInterface({ input: createReadStream(this.replayingPath, { encoding: 'utf8' }), crlfDelay: Infinity });
    let chunk: SpoolChunk = { records: [], corrupt: [] };
    for await (const line of lines) {
      if (line.trim() === '') continue;
      try {
        const parsed = JSON.parse(line) as { v?: unknown; cdr?: unknown };
        if (parsed.v !== SPOOL_FORMAT_VERSION) throw new Error(`unknown spool format version ${JSON.stringify(parsed.v)}`);
        chunk.records.push(parseCdrRecord(parsed.cdr));
      } catch (err) {
        chunk.corrupt.push({ line, reason: (err as Error).message });
      }
      if (chunk.records.length >= size) {
        yield chunk;
        chunk = { records: [], corrupt: [] };
      }
    }
    if (chunk.records.length > 0 || chunk.corrupt.length > 0) yield chunk;
  }

  /** The replaying file is fully in the database: remove it. */
  async finishReplaying(): Promise<void> {
    await unlink(this.replayingPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await this.syncDir();
  }

  /** Keeps lines that cannot be replayed, with the reason, for an operator to read. */
  async setAside(entries: readonly { line: string; reason: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const fh = await open(this.rejectedPath, 'a');
    try {
      await fh.write(entries.map((e) => JSON.stringify({ reason: e.reason, line: e.line, at: new Date().toISOString() })).join('\n') + '\n');
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }

  async close(): Promise<void> {
    await this.closeLive();
  }

  private async openLive(): Promise<FileHandle> {
    if (this.live) return this.live;
    await mkdir(this.dir, { recursive: true });
    const existed = (await sizeOf(this.livePath)) >= 0;
    const fh = await open(this.livePath, 'a+');
    try {
      await dropTornTail(fh);
    } catch (err) {
      await fh.close();
      throw err;
    }
    // A new file's directory entry must reach the disk too, or a crash can lose the file.
    if (!existed) await this.syncDir();
    this.live = fh;
    return fh;
  }

  private async closeLive(): Promise<void> {
    const fh = this.live;
    this.live = null;
    if (fh) await fh.close();
  }

  private async syncDir(): Promise<void> {
    const dh = await open(this.dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }
}

/** -1 when the file does not exist. */
async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return -1;
    throw err;
  }
}

// A crash in the middle of an append can leave a line without its newline. It was never
// acknowledged, and appending after it would glue the next record onto it: cut it off.
async function dropTornTail(fh: FileHandle): Promise<void> {
  const { size } = await fh.stat();
  if (size === 0) return;
  const window = Math.min(size, 64 * 1024);
  let end = size;
  const buf = Buffer.alloc(window);
  for (;;) {
    const start = Math.max(0, end - window);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    const slice = buf.subarray(0, bytesRead);
    if (end === size && slice[slice.length - 1] === 0x0a) return;
    const nl = slice.lastIndexOf(0x0a);
    if (nl >= 0) {
      await fh.truncate(start + nl + 1);
      await fh.datasync();
      return;
    }
    if (start === 0) {
      await fh.truncate(0);
      await fh.datasync();
      return;
    }
    end = start;
  }
}
