// The time and holiday conditions of a rule. A window belongs to the day it starts on: a
// Friday window 22:00-06:00 covers Friday 22:00-24:00 and Saturday 00:00-06:00. `to` is
// exclusive, so 08:00-18:00 ends at 17:59:59.

import type { HolidayCondition, TimeWindow } from '../../provisioning/site/routing-types';
import type { LocalMoment } from './local-time';

export function inWindow(w: TimeWindow, t: LocalMoment): boolean {
  if (w.from < w.to) return w.days.includes(t.day) && t.minutes >= w.from && t.minutes < w.to;
  const yesterday = (t.day + 6) % 7;
  return (w.days.includes(t.day) && t.minutes >= w.from) || (w.days.includes(yesterday) && t.minutes < w.to);
}

export function inAnyWindow(windows: readonly TimeWindow[], t: LocalMoment): boolean {
  return windows.length === 0 || windows.some((w) => inWindow(w, t));
}

export function holidayMatches(cond: HolidayCondition | null, calendars: ReadonlyMap<string, ReadonlySet<string>>, t: LocalMoment): boolean {
  if (cond === null) return true;
  const isHoliday = calendars.get(cond.calendar)?.has(t.date) ?? false;
  return cond.match === 'only' ? isHoliday : !isHoliday;
}
