// Wall-clock time in an IANA zone and back, through Intl (the zone data Node ships): a calling
// window's edges are local times, but timers and Redis need instants. Pure. The one subtle
// part is a daylight-saving change: a local time skipped by the spring change (02:30 in Berlin
// on the last Sunday of March) maps to the instant the clock jumps past it, and a local time
// that happens twice in autumn maps to its first occurrence - the window then opens as early
// as the wall clock allows and never twice.

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface LocalDate {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
}

/** One zone's conversions; build it once per zone (an Intl formatter is costly to build). */
export interface ZoneTime {
  /** The local calendar date at `at`. */
  dateAt(at: number): LocalDate;
  /** The instant the wall clock of `date` shows `minutes` after midnight (1440 = next midnight). */
  instantOf(date: LocalDate, minutes: number): number;
  /** The local date `days` after `date` (negative: before). */
  addDays(date: LocalDate, days: number): LocalDate;
}

export function zoneTime(timeZone: string): ZoneTime {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  /** The wall clock at `at`, written as if it were UTC (ms). */
  const wall = (at: number): number => {
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(at)) p[part.type] = Number(part.value);
    return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) + (at % 1000 + 1000) % 1000;
  };
  const offset = (at: number): number => wall(at) - at;

  const dateAt = (at: number): LocalDate => {
    const d = new Date(wall(at));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
  };
  const addDays = (date: LocalDate, days: number): LocalDate => {
    const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
  };
  const instantOf = (date: LocalDate, minutes: number): number => {
    const local = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
    // The offsets in force a day either side: no zone changes its offset twice within two days.
    const offsets = [...new Set([offset(local - DAY), offset(local + DAY)])];
    const valid = offsets.map((o) => local - o).filter((t) => wall(t) === local);
    if (valid.length > 0) return Math.min(...valid);
    // In the spring gap: the first whole minute whose wall clock is past `local`.
    let lo = local - Math.max(...offsets);
    let hi = local - Math.min(...offsets);
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (wall(mid) >= local) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  return { dateAt, instantOf, addDays };
}
