// A campaign's calling window: `HH:MM-HH:MM` on chosen weekdays in the site's time zone, read
// and checked (a window that never opens is refused at load), and asked two things at dial time:
// is it open now, and when does that change next. Pure. The window is turned into the instants
// it is open around `now` and both answers come from those intervals, so they can never
// disagree, and a daylight-saving change is handled once, in zone-time.ts.

import { Checker } from '../../validation/checker';
import { readDays } from '../../provisioning/site/read-time';
import { DAY_NAMES } from '../../provisioning/site/routing-types';
import { JobError } from '../job-errors';
import type { CallingWindow } from './campaign-types';
import { zoneTime, type ZoneTime } from './zone-time';

const DAY = 86_400_000;
/** The example and a common rule for calling customers at home. */
export const DEFAULT_WINDOW = '09:00-20:00';
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const WINDOW = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/**
 * `09:00-20:00` (from-to; 22:00-06:00 runs past midnight; 00:00-24:00 is all day) on `days`
 * (`mon-fri,sat`; default every day) in `timeZone`. Throws INVALID_JOB naming the field.
 */
export function parseWindow(text: string, days: string | undefined, timeZone: string): CallingWindow {
  const m = WINDOW.exec(text.trim());
  const from = m ? minutesOf(m[1] as string, m[2] as string) : null;
  const to = m ? minutesOf(m[3] as string, m[4] as string) : null;
  if (from === null || to === null || from === 1440) {
    throw new JobError('INVALID_JOB', `${JSON.stringify(text)} is not a window; write HH:MM-HH:MM from 00:00 to 24:00 in the site's time zone, e.g. ${DEFAULT_WINDOW} (22:00-06:00 runs past midnight)`, { field: 'window' });
  }
  if (days !== undefined && days.trim() === '') {
    throw new JobError('INVALID_JOB', `names no day, so the window never opens; use ${DAY_NAMES.join(', ')} or ranges like mon-fri,sat`, { field: 'days' });
  }
  const c = new Checker();
  const dayList = days === undefined ? EVERY_DAY : readDays(c, days.split(',').map((d) => d.trim()), 'days');
  const bad = c.errors[0];
  if (bad !== undefined) throw new JobError('INVALID_JOB', bad.message, { field: 'days' });
  if (from === to) {
    throw new JobError('INVALID_JOB', `${text} never opens: it closes when it opens; for the whole day write 00:00-24:00`, { field: 'window' });
  }
  try {
    zoneTime(timeZone);
  } catch {
    throw new JobError('INVALID_JOB', `${JSON.stringify(timeZone)} is not an IANA time zone name (like Asia/Shanghai); set timezone in the site file`, { field: 'timezone' });
  }
  return { from, to, days: dayList, timeZone };
}

/** `09:00-20:00 mon,tue,wed,thu,fri Asia/Shanghai`, for people. */
export function describeWindow(w: CallingWindow): string {
  const days = w.days.length === 7 ? 'every day' : w.days.map((d) => DAY_NAMES[d]).join(',');
  return `${hhmm(w.from)}-${hhmm(w.to)} ${days} ${w.timeZone}`;
}

/** A window bound to its zone: build once, ask many times. */
export interface WindowClock {
  isOpen(now: number): boolean;
  /** The next instant after `now` the window opens or closes, or null when it never closes. */
  nextChange(now: number): { at: Date; opens: boolean } | null;
}

export function windowClock(window: CallingWindow): WindowClock {
  const zone = zoneTime(window.timeZone);
  return {
    // Only a window opened yesterday or today can hold `now`: two days, not the week nextChange scans.
    isOpen: (now) => intervalsAround(window, zone, now, -1, 0).some(([open, close]) => open <= now && now < close),
    nextChange: (now) => {
      // Edges repeat weekly, so a real one lies within 8 days; later ones may be the scan's own ends.
      const limit = now + 8 * DAY;
      let best: { at: Date; opens: boolean } | null = null;
      for (const [open, close] of intervalsAround(window, zone, now, -1, 9)) {
        for (const [at, opens] of [[open, true], [close, false]] as const) {
          if (at > now && at <= limit && (best === null || at < best.at.getTime())) best = { at: new Date(at), opens };
        }
      }
      return best;
    },
  };
}

export function isOpen(window: CallingWindow, now: Date | number): boolean {
  return windowClock(window).isOpen(+now);
}

export function nextChange(window: CallingWindow, now: Date | number): { at: Date; opens: boolean } | null {
  return windowClock(window).nextChange(+now);
}

/** The window's open intervals opening `first` to `last` days from the local date of `now`, touching ones merged. */
function intervalsAround(w: CallingWindow, zone: ZoneTime, now: number, first: number, last: number): Array<[number, number]> {
  const today = zone.dateAt(now);
  const found: Array<[number, number]> = [];
  for (let k = first; k <= last; k++) {
    const date = zone.addDays(today, k);
    if (!w.days.includes(date.weekday)) continue;
    const open = zone.instantOf(date, w.from);
    const close = w.to > w.from ? zone.instantOf(date, w.to) : zone.instantOf(zone.addDays(date, 1), w.to);
    // A window inside a skipped hour (02:00-02:30 on the spring change) is empty that day.
    if (close > open) found.push([open, close]);
  }
  const merged: Array<[number, number]> = [];
  for (const [open, close] of found.sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last !== undefined && open <= last[1]) last[1] = Math.max(last[1], close);
    else merged.push([open, close]);
  }
  return merged;
}

/** Minutes after midnight, or null; 24:00 is the end of the day. */
function minutesOf(hours: string, minutes: string): number | null {
  const total = Number(hours) * 60 + Number(minutes);
  return Number(minutes) < 60 && total <= 1440 ? total : null;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
