// The messages between SqliteWriterThread (main thread) and its worker
// (sqlite-writer-worker.ts): requests carry an id, the worker answers each id once, in the
// order the requests arrived; knex's own warnings come back as log messages.

import type { CdrRow } from './cdr-columns';
import type { WireError } from './wire-errors';

/** The worker script's file name. tsc puts it beside sqlite-writer-thread.js (dist/src/store/);
 *  the CLI bundle build puts a bundled copy beside dist/tdmgate-cli.js. Either way it sits in
 *  the folder of the code that starts it. */
export const WRITER_WORKER_FILE = 'sqlite-writer-worker.js';

export interface WriterThreadInit {
  filename: string;
  busyTimeoutMs: number;
  acquireTimeoutMs: number;
}

/** A long batch travels in parts: 'rows' messages under the batch's id, then the insertMany with
 *  the last rows; the worker inserts them all in one transaction. Copying a message's rows
 *  (structured clone) holds the sending loop about 4 us a row, so parts of ROWS_PER_MESSAGE with a
 *  turn of the loop between them keep each hold near 0.2 ms. */
export const ROWS_PER_MESSAGE = 50;

export type WriterRequestBody =
  | { op: 'insertMany'; rows: readonly CdrRow[] }
  | { op: 'rows'; rows: readonly CdrRow[] }
  | { op: 'ping' | 'migrateLatest' | 'close' };

export type WriterRequest = WriterRequestBody & { id: number };

export type WriterMessage =
  | { id: number; ok: true; migrations?: string[] }
  | { id: number; ok: false; error: WireError }
  | { log: 'warn' | 'error'; text: string };
