// The call record the supervisor hands to the CDR sink, and its validation. Field names are the
// cdr table's columns (Asterisk's names, so a record reads like the row it becomes). Validation
// refuses what the table would refuse or silently mangle, naming the field, so a bad record is
// rejected at write() and never reaches the spool.

import { CDR_COLUMNS, CDR_TEXT_LIMITS, type CdrRow, type CdrTextColumn } from '../../store/cdr-columns';
import { CdrError } from './cdr-errors';

export const CDR_DISPOSITIONS = ['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION'] as const;
export type CdrDisposition = (typeof CDR_DISPOSITIONS)[number];

export const CDR_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CdrDirection = (typeof CDR_DIRECTIONS)[number];

/** A validated record: every column present, times as Date. */
export interface CdrRecord extends CdrRow {
  disposition: CdrDisposition;
  direction: CdrDirection;
}

type TimeInput = Date | string;

/** What callers give write(): the required facts of a call; the rest default as Asterisk's
 *  table does ('' for text, 0 for numbers, null for the tdmgate extras). Times may be Date
 *  objects or ISO 8601 strings (the spool stores them as strings). */
export interface CdrInput {
  calldate: TimeInput;
  uniqueid: string;
  disposition: CdrDisposition;
  direction: CdrDirection;
  duration: number;
  billsec: number;
  clid?: string;
  src?: string;
  dst?: string;
  dcontext?: string;
  channel?: string;
  dstchannel?: string;
  lastapp?: string;
  lastdata?: string;
  amaflags?: number;
  accountcode?: string;
  userfield?: string;
  linkedid?: string;
  peeraccount?: string;
  sequence?: number;
  span?: number | null;
  timeslot?: number | null;
  trunk_group?: string;
  q850_cause?: number | null;
  ring_time?: TimeInput | null;
  answer_time?: TimeInput | null;
  end_time?: TimeInput | null;
  route?: string;
}

// INT columns are signed 32-bit on MySQL.
const INT_MAX = 2_147_483_647;
const KNOWN = new Set<string>(CDR_COLUMNS);

function invalid(field: string, reason: string): CdrError {
  return new CdrError('CDR_INVALID', `invalid CDR: ${field} ${reason}`, { field });
}

function text(src: Record<string, unknown>, field: CdrTextColumn, required = false): string {
  const v = src[field];
  if (v === undefined || v === null) {
    if (required) throw invalid(field, 'is required');
    return '';
  }
  if (typeof v !== 'string') throw invalid(field, `must be a string, got ${typeof v}`);
  if (required && v.trim() === '') throw invalid(field, 'must not be empty');
  const limit = CDR_TEXT_LIMITS[field];
  if (v.length > limit) throw invalid(field, `is ${v.length} characters, the column holds ${limit}`);
  // NUL ends a C string in Asterisk's tools and is refused by some drivers' text protocols.
  if (v.includes('\u0000')) throw invalid(field, 'contains a NUL character');
  return v;
}

function int(src: Record<string, unknown>, field: string, opts: { required?: boolean; min?: number; max?: number; def?: number } = {}): number {
  const v = src[field];
  if (v === undefined || v === null) {
    if (opts.required || opts.def === undefined) throw invalid(field, 'is required');
    return opts.def;
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(field, `must be an integer, got ${JSON.stringify(v)}`);
  const min = opts.min ?? 0;
  const max = opts.max ?? INT_MAX;
  if (v < min) throw invalid(field, min === 0 ? `must not be negative, got ${v}` : `must be >= ${min}, got ${v}`);
  if (v > max) throw invalid(field, `must be <= ${max}, got ${v}`);
  return v;
}

function optionalInt(src: Record<string, unknown>, field: string, min: number, max: number): number | null {
  const v = src[field];
  if (v === undefined || v === null) return null;
  return int(src, field, { min, max });
}

function time(src: Record<string, unknown>, field: string, required: boolean): Date | null {
  const v = src[field];
  if (v === undefined || v === null) {
    if (required) throw invalid(field, 'is required');
    return null;
  }
  let d: Date;
  if (v instanceof Date) d = new Date(v.getTime());
  else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) d = new Date(v);
  else throw invalid(field, 'must be a Date or an ISO 8601 time with a zone');
  const y = d.getUTCFullYear();
  // DATETIME holds 1000-9999; anything before 1970 is a clock that was never set.
  if (Number.isNaN(d.getTime()) || y < 1970 || y > 9999) throw invalid(field, 'is not a valid time');
  return d;
}

function oneOf<T extends string>(src: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const v = src[field];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalid(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** Checks a record from any source (a caller, a spool line) and returns it complete.
 *  Throws CdrError 'CDR_INVALID' naming the first bad field. */
export function parseCdrRecord(input: unknown): CdrRecord {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CdrError('CDR_INVALID', 'invalid CDR: not an object', { field: '' });
  }
  const src = input as Record<string, unknown>;
  for (const key of Object.keys(src)) {
    if (!KNOWN.has(key)) throw invalid(key, 'is not a cdr column');
  }
  const duration = int(src, 'duration', { required: true });
  const billsec = int(src, 'billsec', { required: true });
  if (billsec > duration) throw invalid('billsec', `(${billsec}) exceeds duration (${duration})`);
  const disposition = oneOf(src, 'disposition', CDR_DISPOSITIONS);
  if (billsec > 0 && disposition !== 'ANSWERED') throw invalid('billsec', `is ${billsec} on a call that was not answered`);
  const record: CdrRecord = {
    calldate: time(src, 'calldate', true) as Date,
    clid: text(src, 'clid'),
    src: text(src, 'src'),
    dst: text(src, 'dst'),
    dcontext: text(src, 'dcontext'),
    channel: text(src, 'channel'),
    dstchannel: text(src, 'dstchannel'),
    lastapp: text(src, 'lastapp'),
    lastdata: text(src, 'lastdata'),
    duration,
    billsec,
    disposition,
    amaflags: int(src, 'amaflags', { def: 0, max: 3 }),
    accountcode: text(src, 'accountcode'),
    uniqueid: text(src, 'uniqueid', true),
    userfield: text(src, 'userfield'),
    linkedid: text(src, 'linkedid'),
    peeraccount: text(src, 'peeraccount'),
    sequence: int(src, 'sequence', { def: 0 }),
    span: optionalInt(src, 'span', 1, 65535),
    // E1 has 31 usable timeslots (TS16 included in DAHDI's numbering); T1 24; BRI 2; analog 1.
    timeslot: optionalInt(src, 'timeslot', 1, 31),
    trunk_group: text(src, 'trunk_group'),
    direction: oneOf(src, 'direction', CDR_DIRECTIONS),
    q850_cause: optionalInt(src, 'q850_cause', 0, 127),
    ring_time: time(src, 'ring_time', false),
    answer_time: time(src, 'answer_time', false),
    end_time: time(src, 'end_time', false),
    route: text(src, 'route'),
  };
  if (record.answer_time !== null && disposition !== 'ANSWERED') {
    throw invalid('answer_time', `is set on a call whose disposition is ${disposition}`);
  }
  if (record.end_time !== null && record.end_time < record.calldate) throw invalid('end_time', 'is before calldate');
  return record;
}

/** The record as one spool line's payload: JSON-safe, times as ISO strings. */
export function cdrRecordToJson(record: CdrRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const col of CDR_COLUMNS) {
    const v = record[col];
    out[col] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}
