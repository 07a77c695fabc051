// Reading the time parts of the routing section: IANA time zone names (checked with Intl, no
// tz database of our own), days of the week and day ranges, HH:MM times, windows and holiday
// calendars of local dates.

import { suggestion, type Checker } from '../../validation/checker';
import { DAY_NAMES, type TimeWindow } from './routing-types';

export const WINDOW_KEYS = ['days', 'from', 'to'] as const;
const HHMM = /^(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTES_PER_DAY = 1440;
/** A range longer than a year is a typo (2025-01-01..2052-01-01), not a holiday. */
const MAX_RANGE_DAYS = 366;

export function readTimeZone(c: Checker, value: unknown, path: string): string {
  const name = c.text(value, path, 'UTC');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    c.fail(path, `"${name}" is not an IANA time zone name (like Asia/Shanghai, Europe/Berlin)${suggestion(name, Intl.supportedValuesOf('timeZone'))}`);
    return 'UTC';
  }
}

/** `[mon-fri, sat]` or `mon-fri`; a range may wrap (fri-mon). Omitted = every day. */
export function readDays(c: Checker, value: unknown, path: string): number[] {
  if (value === undefined) return [0, 1, 2, 3, 4, 5, 6];
  const items = Array.isArray(value) ? value : [value];
  const days = new Set<number>();
  items.forEach((item, i) => {
    const p = Array.isArray(value) ? `${path}[${i}]` : path;
    const parts = typeof item === 'string' ? item.trim().toLowerCase().split('-') : [];
    if (parts.length < 1 || parts.length > 2) {
      c.fail(p, `${JSON.stringify(item) ?? 'nothing'} is not a day or day range; use ${DAY_NAMES.join(', ')} or a range like mon-fri`);
      return;
    }
    const a = dayIndex(c, parts[0] as string, p);
    const b = parts.length === 2 ? dayIndex(c, parts[1] as string, p) : a;
    if (a === null || b === null) return;
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  });
  return [...days].sort((x, y) => x - y);
}

const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function dayIndex(c: Checker, text: string, path: string): number | null {
  const i = DAY_NAMES.findIndex((d, k) => text === d || text === FULL_DAY_NAMES[k]);
  if (i >= 0) return i;
  c.fail(path, `"${text}" is not a day; one of ${DAY_NAMES.join(', ')}${suggestion(text, DAY_NAMES)}`);
  return null;
}

/** HH:MM to minutes after midnight; 24:00 only where `endOfDay` (a window's end). */
export function readTime(c: Checker, value: unknown, path: string, endOfDay: boolean): number | null {
  const text = typeof value === 'string' ? value.trim() : '';
  const m = HHMM.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const inRange = m !== null && Number(m[2]) < 60 && (minutes < MINUTES_PER_DAY || (endOfDay && minutes === MINUTES_PER_DAY));
  if (!inRange) {
    // YAML 1.1 would read 09:30 unquoted as a sexagesimal number; the yaml package (1.2) keeps
    // it a string, but a bare number still means someone wrote 930 or 9.
    c.fail(path, `${JSON.stringify(value) ?? 'nothing'} is not a time; write HH:MM from 00:00 to ${endOfDay ? '24:00' : '23:59'} (quoted: "09:00")`);
    return null;
  }
  return minutes;
}

export function readWindow(c: Checker, value: unknown, path: string): TimeWindow | null {
  const m = c.mapping(value, path, WINDOW_KEYS);
  if (m === null) return null;
  const days = readDays(c, m.days, `${path}.days`);
  const from = readTime(c, m.from, `${path}.from`, false);
  const to = readTime(c, m.to, `${path}.to`, true);
  if (from === null || to === null) return null;
  if (from === to) {
    c.fail(path, `from and to are both ${m.from as string}: an empty window; for the whole day write from: "00:00", to: "24:00"`);
    return null;
  }
  return { days, from, to };
}

/** A calendar: a list of YYYY-MM-DD dates and inclusive ranges YYYY-MM-DD..YYYY-MM-DD. */
export function readCalendar(c: Checker, value: unknown, path: string): string[] {
  const list = c.list(value, path) ?? [];
  const dates = new Set<string>();
  list.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const text = typeof item === 'string' ? item.trim() : '';
    const [start, end, ...rest] = text.split('..');
    const a = parseDate(start ?? '');
    const b = end === undefined ? a : parseDate(end);
    if (rest.length > 0 || a === null || b === null) {
      c.fail(p, `${JSON.stringify(item) ?? 'nothing'} is not a date; write YYYY-MM-DD (quoted) or a range YYYY-MM-DD..YYYY-MM-DD`);
      return;
    }
    const span = (b - a) / 86_400_000;
    if (span < 0 || span > MAX_RANGE_DAYS) {
      c.fail(p, `range ${text} ${span < 0 ? 'ends before it starts' : `covers ${span + 1} days; at most ${MAX_RANGE_DAYS}`}`);
      return;
    }
    for (let t = a; t <= b; t += 86_400_000) dates.add(new Date(t).toISOString().slice(0, 10));
  });
  return [...dates].sort();
}

/** UTC midnight of a real calendar date, or null (2025-02-30 is not one). */
function parseDate(text: string): number | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === text.trim() ? t : null;
}
