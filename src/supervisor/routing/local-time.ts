// Wall-clock time in the site's IANA zone through Intl (the zone data Node ships, DST
// included), so time windows and holidays follow the site's clock, not the server's.

export interface LocalMoment {
  /** 0 = Sunday, as Date#getDay. */
  day: number;
  /** Minutes after local midnight. */
  minutes: number;
  /** Local date YYYY-MM-DD. */
  date: string;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** A reader for one zone; the formatter is built once because building it costs far more than using it. */
export function localClock(timeZone: string): (at: Date) => LocalMoment {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  // formatToParts is most of a routing decision's cost, and calls come many to a second: the last
  // answer is kept for its UTC second. Zone offsets are whole seconds, so a local minute never
  // turns inside one.
  let last = { second: Number.NaN, moment: { day: 0, minutes: 0, date: '' } };
  return (at) => {
    const second = Math.floor(at.getTime() / 1000);
    if (second !== last.second) {
      const parts: Record<string, string> = {};
      for (const p of format.formatToParts(at)) parts[p.type] = p.value;
      last = {
        second,
        moment: { day: WEEKDAYS[parts.weekday ?? ''] ?? 0, minutes: Number(parts.hour) * 60 + Number(parts.minute), date: `${parts.year}-${parts.month}-${parts.day}` },
      };
    }
    return { ...last.moment };
  };
}
