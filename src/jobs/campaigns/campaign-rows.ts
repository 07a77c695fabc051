// The numbers of a campaign, from a CSV file or from API entries: each number put in E.164 with
// the site's numbering plan, the other columns kept as job data. Pure. A bad row is a refusal
// (JobError INVALID_JOB naming its line and field and what is allowed) and the good rows are
// kept, so one typo on line 812 does not throw away 999 good numbers. Only a file that cannot be
// read as a list of numbers at all (no `number` column, a bad header) is refused as a whole.

import { parseNumber, type NumberingPlan } from '../../supervisor/numbering/numbering';
import { JobError } from '../job-errors';
import type { CampaignRow } from './campaign-types';
import { parseCsv } from './csv';

/** The column that holds the number to call (matched without regard to case or spaces). */
export const NUMBER_COLUMN = 'number';
/** Beyond this a list is better split into several campaigns (every row is a Redis job). */
export const MAX_ROWS = 100_000;
const MAX_COLUMNS = 50;
const MAX_VALUE = 1000;
const COLUMN_NAME = /^[\p{L}\p{N}_ .\-/#]{1,64}$/u;

export interface RowsResult {
  rows: CampaignRow[];
  /** One INVALID_JOB per refused row, in line order. */
  refusals: JobError[];
}

/** An entry as the API takes it: a number in any form and optional data. */
export interface CampaignEntry {
  number: unknown;
  data?: unknown;
}

/** Reads a campaign CSV; throws INVALID_JOB (line 1) when the header makes the file unreadable. */
export function readCampaignCsv(text: string, plan: NumberingPlan | null): RowsResult {
  const { records, problems } = parseCsv(text);
  const header = records[0];
  if (header === undefined || header.line !== 1) {
    throw new JobError('INVALID_JOB', `the first line must be the header naming the columns, with a "${NUMBER_COLUMN}" column${problems[0]?.line === 1 ? ` (${problems[0].message})` : ''}`, { field: 'header', line: 1 });
  }
  const columns = header.fields.map((f) => f.trim());
  checkHeader(columns);
  const numberAt = columns.findIndex((c) => c.toLowerCase() === NUMBER_COLUMN);
  const refusals: JobError[] = problems.map((p) => new JobError('INVALID_JOB', p.message, { field: 'line', line: p.line }));
  const entries: Array<{ line: number; number: string; data: Record<string, string> }> = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      refusals.push(new JobError('INVALID_JOB', `has ${record.fields.length} field(s); the header has ${columns.length} (${columns.join(', ')}); quote a value that holds a comma`, { field: 'line', line: record.line }));
      continue;
    }
    const data: Record<string, string> = {};
    columns.forEach((name, k) => {
      if (k !== numberAt) data[name] = record.fields[k] as string;
    });
    entries.push({ line: record.line, number: record.fields[numberAt] as string, data });
  }
  if (entries.length + refusals.length > MAX_ROWS) {
    throw new JobError('INVALID_JOB', `has ${entries.length + refusals.length} rows; a campaign takes at most ${MAX_ROWS} (split the list)`, { field: 'file' });
  }
  const checked = checkRows(entries, plan, NUMBER_COLUMN);
  return { rows: checked.rows, refusals: [...refusals, ...checked.refusals].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
}

/** API entries (`[{ number, data? }]`): refusals name `entries[i].number`, line = i + 1. */
export function readCampaignEntries(entries: readonly CampaignEntry[], plan: NumberingPlan | null): RowsResult {
  if (entries.length > MAX_ROWS) throw new JobError('INVALID_JOB', `has ${entries.length} entries; a campaign takes at most ${MAX_ROWS}`, { field: 'entries' });
  const refusals: JobError[] = [];
  const good: Array<{ line: number; number: string; data: Record<string, string> }> = [];
  entries.forEach((entry, i) => {
    const line = i + 1;
    const field = `entries[${i}]`;
    if (typeof entry !== 'object' || entry === null) return void refusals.push(new JobError('INVALID_JOB', 'is not an object { number, data? }', { field, line }));
    if (typeof entry.number !== 'string') return void refusals.push(new JobError('INVALID_JOB', 'is not a text; give the number as a string', { field: `${field}.number`, line }));
    const data = dataOf(entry.data);
    if (typeof data === 'string') return void refusals.push(new JobError('INVALID_JOB', data, { field: `${field}.data`, line }));
    good.push({ line, number: entry.number, data });
  });
  const checked = checkRows(good, plan, (line) => `entries[${line - 1}].number`);
  return { rows: checked.rows, refusals: [...refusals, ...checked.refusals].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
}

function checkHeader(columns: string[]): void {
  if (columns.length > MAX_COLUMNS) throw new JobError('INVALID_JOB', `has ${columns.length} columns; at most ${MAX_COLUMNS}`, { field: 'header', line: 1 });
  const seen = new Map<string, number>();
  columns.forEach((name, k) => {
    if (!COLUMN_NAME.test(name)) {
      throw new JobError('INVALID_JOB', `column ${k + 1} is named ${JSON.stringify(name)}; a column name is 1-64 letters, digits, spaces or _ . - / #`, { field: 'header', line: 1 });
    }
    const twin = seen.get(name.toLowerCase());
    if (twin !== undefined) throw new JobError('INVALID_JOB', `column ${k + 1} "${name}" repeats column ${twin + 1}; each column name once`, { field: 'header', line: 1 });
    seen.set(name.toLowerCase(), k);
  });
  if (!seen.has(NUMBER_COLUMN)) {
    throw new JobError('INVALID_JOB', `has no "${NUMBER_COLUMN}" column (columns: ${columns.join(', ')}); name the column of numbers to call "${NUMBER_COLUMN}"`, { field: 'header', line: 1 });
  }
}

/** The data map, or a problem text. */
function dataOf(value: unknown): Record<string, string> | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a map of name: text';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_COLUMNS) return `has ${entries.length} names; at most ${MAX_COLUMNS}`;
  for (const [name, v] of entries) {
    if (!COLUMN_NAME.test(name)) return `name ${JSON.stringify(name)} is not 1-64 letters, digits, spaces or _ . - / #`;
    if (typeof v !== 'string') return `${name} is not a text`;
  }
  return value as Record<string, string>;
}

/** Numbers to E.164, values within bounds, each number once per campaign. */
function checkRows(entries: Array<{ line: number; number: string; data: Record<string, string> }>, plan: NumberingPlan | null, field: string | ((line: number) => string)): RowsResult {
  const fieldOf = typeof field === 'string' ? () => field : field;
  const rows: CampaignRow[] = [];
  const refusals: JobError[] = [];
  const firstLine = new Map<string, number>();
  for (const entry of entries) {
    const long = Object.entries(entry.data).find(([, v]) => v.length > MAX_VALUE);
    if (long !== undefined) {
      refusals.push(new JobError('INVALID_JOB', `has ${long[1].length} characters; a value holds at most ${MAX_VALUE}`, { field: long[0], line: entry.line }));
      continue;
    }
    const parsed = parseNumber(entry.number, plan);
    if (!parsed.ok) {
      refusals.push(new JobError('INVALID_JOB', parsed.error.message, { field: fieldOf(entry.line), line: entry.line }));
      continue;
    }
    const e164 = parsed.number.e164;
    const twin = firstLine.get(e164);
    if (twin !== undefined) {
      refusals.push(new JobError('INVALID_JOB', `${JSON.stringify(entry.number)} is ${e164} again, already on line ${twin}; a campaign calls each number once`, { field: fieldOf(entry.line), line: entry.line }));
      continue;
    }
    firstLine.set(e164, entry.line);
    rows.push({ line: entry.line, number: e164, data: entry.data });
  }
  return { rows, refusals };
}
