// CdrSink: where the supervisor hands every call record. Records are validated, batched
// (batchSize records or flushIntervalMs, whichever first) and inserted idempotently on
// (uniqueid, sequence). When the database is away the batch goes to the fsync'd spool instead,
// and everything after it follows into the spool until a probe (with capped backoff) finds the
// database again and the spool has been replayed in order. write() resolves only once its record
// is committed to the database or fsync'd in the spool, so a record it acknowledged survives
// kill -9; start() replays what a previous process left behind before anything new.

import { EventEmitter } from 'node:events';
import { classifyDbError, StoreError, type DbErrorClass } from '../../store/store-errors';
import { CdrError } from './cdr-errors';
import { parseCdrRecord, type CdrRecord } from './cdr-record';
import { CdrSpool } from './cdr-spool';
import type { CdrWriter } from './cdr-writer';

export type CdrSinkStatus = 'connecting' | 'ready' | 'spooling' | 'closing' | 'closed';

export interface CdrSinkOptions {
  writer: CdrWriter;
  /** Directory of the spool files (the data directory). */
  spoolDir: string;
  /** Records per insert; a full batch is written at once. */
  batchSize?: number;
  /** The longest a record waits in memory for its batch to fill (ms). */
  flushIntervalMs?: number;
  /** An insert or probe that takes longer counts as the database being away (ms). */
  writeTimeoutMs?: number;
  /** Probe backoff while spooling: first delay, doubling up to the cap (ms). */
  probeInitialMs?: number;
  probeMaxMs?: number;
}

export interface CdrSinkStats {
  /** Records committed by a direct insert. */
  written: number;
  /** Records appended to the spool. */
  spooled: number;
  /** Records inserted from the spool. */
  replayed: number;
  /** Records the database refused (returned to the caller, or set aside on replay). */
  rejected: number;
}

export interface CdrSinkEvents {
  status: [status: CdrSinkStatus, cause: unknown];
  /** A replay pass finished and the sink writes to the database again. */
  replayed: [count: number];
  /** A spooled record or line could not be replayed and went to the .rejected file. */
  setAside: [reason: string];
}

interface Pending {
  record: CdrRecord;
  resolve: () => void;
  reject: (err: Error) => void;
}

type Lifecycle = 'connecting' | 'open' | 'closing' | 'closed';

export class CdrSink extends EventEmitter<CdrSinkEvents> {
  readonly spool: CdrSpool;
  private readonly writer: CdrWriter;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly writeTimeoutMs: number;
  private readonly probeInitialMs: number;
  private readonly probeMaxMs: number;

  private lifecycle: Lifecycle = 'connecting';
  // Until start() has drained a leftover spool, new records queue behind it in the spool.
  private mode: 'db' | 'spool' = 'spool';
  private lastStatus: CdrSinkStatus = 'connecting';
  private lastCause: unknown = undefined;
  private buffer: Pending[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probeDelay: number;
  // Batches and spool rotations run one at a time, in order.
  private tail: Promise<void> = Promise.resolve();
  private drainRun: Promise<void> | null = null;
  private readonly counters: CdrSinkStats = { written: 0, spooled: 0, replayed: 0, rejected: 0 };

  constructor(options: CdrSinkOptions) {
    super();
    this.writer = options.writer;
    this.spool = new CdrSpool(options.spoolDir);
    this.batchSize = Math.max(1, options.batchSize ?? 500);
    this.flushIntervalMs = Math.max(1, options.flushIntervalMs ?? 200);
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.probeInitialMs = options.probeInitialMs ?? 250;
    this.probeMaxMs = options.probeMaxMs ?? 15_000;
    this.probeDelay = this.probeInitialMs;
  }

  get status(): CdrSinkStatus {
    return this.lastStatus;
  }

  /** Why the sink spools: the last database error, or undefined. */
  get lastError(): unknown {
    return this.lastCause;
  }

  /** The class of the last database error: a 'fatal' one needs an operator (grants, schema). */
  get lastErrorClass(): DbErrorClass | undefined {
    return this.lastCause === undefined ? undefined : classifyDbError(this.lastCause);
  }

  stats(): CdrSinkStats {
    return { ...this.counters };
  }

  /** Replays a spool left by an earlier process, then writes to the database; if the database
   *  does not answer, resolves anyway with status 'spooling' and keeps probing. */
  async start(): Promise<void> {
    if (this.lifecycle !== 'connecting') return;
    await this.runDrain();
    if (this.lifecycle === 'connecting') this.lifecycle = 'open';
    this.updateStatus();
  }

  /** Validates and queues one record. Resolves once it is in the database or the spool;
   *  rejects with CdrError 'CDR_INVALID' (naming the field) before anything is stored. */
  write(input: unknown): Promise<void> {
    if (this.lifecycle === 'closing' || this.lifecycle === 'closed') {
      return Promise.reject(new CdrError('SINK_CLOSED', `the CDR sink is ${this.lifecycle}`));
    }
    let record: CdrRecord;
    try {
      record = parseCdrRecord(input);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ record, resolve, reject });
      if (this.buffer.length >= this.batchSize) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), this.flushIntervalMs);
    });
  }

  /** Writes out what is buffered; resolves when every record written before is acknowledged. */
  flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.buffer.length > 0) {
      const batch = this.buffer;
      this.buffer = [];
      return this.enqueue(() => this.writeBatch(batch));
    }
    return this.enqueue(() => Promise.resolve());
  }

  /** Flushes, stops probing and closes the spool. What is still spooled stays on disk for the
   *  next start. Does not close the database (the caller owns it). */
  async close(): Promise<void> {
    if (this.lifecycle === 'closed') return;
    if (this.lifecycle === 'closing') {
      await new Promise<void>((resolve) => this.once('status', () => resolve()));
      return;
    }
    this.lifecycle = 'closing';
    this.updateStatus();
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    await this.flush();
    if (this.drainRun) await this.drainRun;
    await this.enqueue(() => this.spool.close());
    this.lifecycle = 'closed';
    this.updateStatus();
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  // Runs on the queue; settles every record of the batch itself and never throws.
  private async writeBatch(batch: Pending[]): Promise<void> {
    if (this.mode === 'spool') {
      await this.spoolBatch(batch);
      return;
    }
    try {
      await this.insert(batch.map((p) => p.record));
      this.counters.written += batch.length;
      for (const p of batch) p.resolve();
    } catch (err) {
      if (classifyDbError(err) === 'data') {
        await this.isolate(batch);
        return;
      }
      this.enterSpooling(err);
      await this.spoolBatch(batch);
    }
  }

  // One record of the batch has values the table refuses: find it by writing one at a time.
  private async isolate(batch: Pending[]): Promise<void> {
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      try {
        await this.insert([p.record]);
        this.counters.written++;
        p.resolve();
      } catch (err) {
        if (classifyDbError(err) === 'data') {
          this.counters.rejected++;
          p.reject(new CdrError('CDR_REJECTED_BY_DATABASE', `the database refused CDR ${p.record.uniqueid}/${p.record.sequence}`, { cause: err }));
          continue;
        }
        this.enterSpooling(err);
        await this.spoolBatch(batch.slice(i));
        return;
      }
    }
  }

  private async spoolBatch(batch: Pending[]): Promise<void> {
    try {
      await this.spool.append(batch.map((p) => p.record));
      this.counters.spooled += batch.length;
      for (const p of batch) p.resolve();
    } catch (err) {
      const fail = new CdrError('SPOOL_FAILED', `the database is unavailable and the spool ${this.spool.livePath} cannot be written`, { cause: err });
      for (const p of batch) p.reject(fail);
    }
  }

  private insert(records: CdrRecord[]): Promise<void> {
    return withTimeout(this.writer.insertMany(records), this.writeTimeoutMs, 'CDR insert');
  }

  private enterSpooling(cause: unknown): void {
    this.lastCause = cause;
    if (this.mode === 'spool') return;
    this.mode = 'spool';
    this.probeDelay = this.probeInitialMs;
    this.updateStatus(cause);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.probeTimer || this.lifecycle === 'closing' || this.lifecycle === 'closed') return;
    const delay = this.probeDelay;
    this.probeDelay = Math.min(this.probeMaxMs, this.probeDelay * 2);
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      // A drain still finishing would swallow this probe; try again after it.
      if (this.drainRun) this.scheduleProbe();
      else void this.runDrain();
    }, delay);
    this.probeTimer.unref();
  }

  private runDrain(): Promise<void> {
    this.drainRun ??= this.drain().finally(() => {
      this.drainRun = null;
    });
    return this.drainRun;
  }

  // Replays the spool in order, then switches to direct writes; on a database failure keeps
  // what is left and schedules the next probe.
  private async drain(): Promise<void> {
    let replayed = 0;
    try {
      await withTimeout(this.writer.ping(), this.writeTimeoutMs, 'database probe');
      for (;;) {
        if (this.lifecycle === 'closing' || this.lifecycle === 'closed') return;
        // On the queue: no batch is being appended while the spool rotates, and the switch to
        // direct writes happens only when the spool is empty with nothing in flight.
        const more = await this.enqueue(async () => {
          if (await this.spool.rotate()) return true;
          this.mode = 'db';
          this.lastCause = undefined;
          this.probeDelay = this.probeInitialMs;
          return false;
        });
        if (!more) break;
        replayed += await this.replayFile();
        await this.spool.finishReplaying();
      }
    } catch (err) {
      this.lastCause = err;
      this.updateStatus(err);
      this.scheduleProbe();
      return;
    }
    this.updateStatus();
    if (replayed > 0) this.emit('replayed', replayed);
  }

  private async replayFile(): Promise<number> {
    let n = 0;
    for await (const chunk of this.spool.readReplaying(this.batchSize)) {
      for (const c of chunk.corrupt) this.emit('setAside', c.reason);
      await this.spool.setAside(chunk.corrupt);
      let inserted: number;
      try {
        await this.insert(chunk.records);
        inserted = chunk.records.length;
      } catch (err) {
        if (classifyDbError(err) !== 'data') throw err;
        inserted = await this.replayOneByOne(chunk.records);
      }
      n += inserted;
      this.counters.replayed += inserted;
    }
    return n;
  }

  private async replayOneByOne(records: CdrRecord[]): Promise<number> {
    let n = 0;
    for (const record of records) {
      try {
        await this.insert([record]);
        n++;
      } catch (err) {
        if (classifyDbError(err) !== 'data') throw err;
        const reason = `the database refused it: ${(err as { code?: string }).code ?? (err as Error).message}`;
        this.counters.rejected++;
        this.emit('setAside', reason);
        await this.spool.setAside([{ line: JSON.stringify(record), reason }]);
      }
    }
    return n;
  }

  private updateStatus(cause?: unknown): void {
    const next: CdrSinkStatus =
      this.lifecycle === 'connecting' || this.lifecycle === 'closing' || this.lifecycle === 'closed'
        ? this.lifecycle
        : this.mode === 'db'
          ? 'ready'
          : 'spooling';
    if (next === this.lastStatus) return;
    this.lastStatus = next;
    this.emit('status', next, cause);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError('TIMEOUT', `${what} took longer than ${ms} ms`)), ms);
  });
  // The losing promise may still settle later; an insert that lands late is harmless (the
  // table ignores the duplicate when the spool replays it).
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
