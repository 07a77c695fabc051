// SqliteWriterThread: the CDR writer for SQLite, on a worker thread (node:worker_threads) that
// owns the better-sqlite3 connection. better-sqlite3's statements are synchronous: a batch of
// inserts on the main loop stalled call handling for a millisecond or more; here the main thread
// only posts the rows and awaits the answer. It has CdrRepository's writer surface (insertMany,
// ping) and Database's migrateLatest, so SchemaFirstWriter and the CDR sink use it unchanged.
//
// Errors come back as the same typed errors (wire-errors.ts), so classifyDbError says transient,
// data or fatal exactly as in process. A thread that dies - a crash, terminate() - fails every
// request it held with StoreError 'WORKER_EXITED' (transient: the sink spools them and replays
// later; a batch that committed before the crash is skipped by the unique index on replay), and
// the next request starts a new thread. close() lets the thread answer everything asked before
// it, closes the connection and waits for the thread to exit.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CdrRow } from './cdr-columns';
import { ROWS_PER_MESSAGE, WRITER_WORKER_FILE, type WriterMessage, type WriterRequest, type WriterRequestBody, type WriterThreadInit } from './sqlite-writer-protocol';
import { StoreError } from './store-errors';
import type { StoreLogger } from './store-logger';
import { errorFromWire } from './wire-errors';

export interface SqliteWriterThreadOptions {
  /** The SQLite file (absolute). */
  filename: string;
  /** How long SQLite waits on another writer's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
  /** How long a query waits for the thread's one pooled connection (ms). */
  acquireTimeoutMs?: number;
  log?: StoreLogger;
  /** The worker script; default WRITER_WORKER_FILE in this module's folder. */
  script?: string;
  /** How long close() waits for the thread to finish and exit before terminating it (ms). */
  closeTimeoutMs?: number;
}

export type SqliteWriterThreadStatus = 'open' | 'closing' | 'closed';

interface Waiting {
  resolve: (migrations: string[] | undefined) => void;
  reject: (err: Error) => void;
  /** Settles with the request (never rejects): what close() waits for. */
  settled: Promise<unknown>;
}

const SILENT: StoreLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Where the worker script is: beside the code that starts it, in dist/src/store/ and in the
 *  CLI bundle's dist/ alike. Refuses early when the build did not put it there. */
export function writerWorkerScript(dir: string = __dirname): string {
  const script = join(dir, WRITER_WORKER_FILE);
  if (!existsSync(script)) throw new StoreError('WORKER_MISSING', `the SQLite writer thread's script ${script} is missing (run npm run build)`);
  return script;
}

export class SqliteWriterThread {
  readonly filename: string;
  private readonly init: WriterThreadInit;
  private readonly script: string;
  private readonly log: StoreLogger;
  private readonly closeTimeoutMs: number;
  private state: SqliteWriterThreadStatus = 'open';
  private closing: Promise<void> | null = null;
  private worker: Worker | null = null;
  /** Why the current thread died, when it threw (the 'error' event comes before 'exit'). */
  private crash: Error | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  private started = 0;

  constructor(options: SqliteWriterThreadOptions) {
    this.filename = options.filename;
    this.init = { filename: options.filename, busyTimeoutMs: options.busyTimeoutMs ?? 5000, acquireTimeoutMs: options.acquireTimeoutMs ?? 10_000 };
    this.script = options.script ?? writerWorkerScript();
    this.log = options.log ?? SILENT;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  }

  get status(): SqliteWriterThreadStatus {
    return this.state;
  }

  /** The running thread's id, or null between a crash and the next request. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  /** Requests posted to the thread and not answered yet. */
  get inFlight(): number {
    return this.waiting.size;
  }

  /** Threads started so far: 1 after the first request, one more after each crash. */
  get threadsStarted(): number {
    return this.started;
  }

  /** Inserts in order in one transaction; rows whose (uniqueid, sequence) exist are skipped. */
  async insertMany(rows: readonly CdrRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.request({ op: 'insertMany', rows });
  }

  /** Resolves when the database would take a write now (the sink's probe). */
  async ping(): Promise<void> {
    await this.request({ op: 'ping' });
  }

  /** Runs every pending migration in the thread; returns the names that ran. */
  async migrateLatest(): Promise<string[]> {
    return (await this.request({ op: 'migrateLatest' })) ?? [];
  }

  /** Ends the current thread at once, as a crash would: what it held fails with WORKER_EXITED
   *  and the next request starts a new one. close() uses it when the thread does not finish. */
  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Waits for what was asked before (the thread answers in order), closes the connection and
   *  waits for the thread to exit; later requests fail with StoreError 'CLOSED'. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.state = 'closing';
    // A batch still being posted in parts must be whole before the close request follows it.
    await Promise.all([...this.waiting.values()].map((w) => w.settled));
    const worker = this.worker;
    if (worker !== null) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.closeTimeoutMs)));
      const bye = this.post(worker, { op: 'close' }).then(
        () => exited,
        () => exited,
      );
      if ((await Promise.race([bye, late])) === 'late') {
        this.log.warn({ file: this.filename, waitedMs: this.closeTimeoutMs }, 'SQLite writer thread did not close in time: terminated');
        await worker.terminate();
      }
      clearTimeout(timer);
    }
    this.state = 'closed';
  }

  private request(body: WriterRequestBody): Promise<string[] | undefined> {
    if (this.state !== 'open') return Promise.reject(new StoreError('CLOSED', `the SQLite writer thread for ${this.filename} is ${this.state}`));
    return this.post(this.worker ?? this.spawn(), body);
  }

  private post(worker: Worker, body: WriterRequestBody): Promise<string[] | undefined> {
    const id = ++this.nextId;
    let resolve!: Waiting['resolve'];
    let reject!: Waiting['reject'];
    const answer = new Promise<string[] | undefined>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.waiting.set(id, { resolve, reject, settled: answer.catch(() => undefined) });
    // Only a thread with work in hand keeps the process alive; an idle one never holds exit.
    worker.ref();
    if (body.op === 'insertMany' && body.rows.length > ROWS_PER_MESSAGE) void this.postInParts(worker, id, body.rows);
    else worker.postMessage({ ...body, id } satisfies WriterRequest);
    return answer;
  }

  private async postInParts(worker: Worker, id: number, rows: readonly CdrRow[]): Promise<void> {
    for (let at = 0; ; at += ROWS_PER_MESSAGE) {
      // The thread died meanwhile: the request has already failed, and the rest has nowhere to go.
      if (!this.waiting.has(id)) return;
      const part = rows.slice(at, at + ROWS_PER_MESSAGE);
      if (at + ROWS_PER_MESSAGE >= rows.length) {
        worker.postMessage({ op: 'insertMany', id, rows: part } satisfies WriterRequest);
        return;
      }
      worker.postMessage({ op: 'rows', id, rows: part } satisfies WriterRequest);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.script, { workerData: this.init });
    this.worker = worker;
    this.crash = null;
    this.started++;
    worker.on('message', (m: WriterMessage) => this.onMessage(worker, m));
    worker.on('error', (err) => {
      if (this.worker === worker) this.crash = err;
    });
    worker.on('exit', (code) => this.onExit(worker, code));
    return worker;
  }

  private onMessage(worker: Worker, m: WriterMessage): void {
    if ('log' in m) {
      this.log[m.log]({ knex: m.text, file: this.filename }, 'database');
      return;
    }
    const w = this.waiting.get(m.id);
    if (w === undefined) return;
    this.waiting.delete(m.id);
    if (m.ok) w.resolve(m.migrations);
    else w.reject(errorFromWire(m.error));
    if (this.waiting.size === 0) worker.unref();
  }

  private onExit(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const cause = this.crash;
    this.crash = null;
    const held = [...this.waiting.values()];
    this.waiting.clear();
    const expected = this.state !== 'open' && held.length === 0;
    if (!expected) {
      this.log.warn(
        { file: this.filename, code, requests: held.length, err: cause?.message },
        'SQLite writer thread exited: its requests fail as transient (the CDR sink spools them), the next one starts a new thread',
      );
    }
    const err = new StoreError('WORKER_EXITED', `the SQLite writer thread for ${this.filename} exited (code ${code}) with ${held.length} requests in flight`, cause === null ? undefined : { cause });
    for (const w of held) w.reject(err);
  }
}
