// Channel lists as dahdi_cfg and chan_dahdi take them ("1-15,17-31", "25", "1-4, 9"), and the
// shortest list that names a set of channels back. dahdi_cfg accepts channels 1 to
// DAHDI_MAX_CHANNELS - 1 and a range must not run backwards; those are the limits kept here.

export const MAX_CHANNEL = 1023;

export type ChannelListResult = { ok: true; channels: number[] } | { ok: false; reason: string };

function parseNumber(text: string): number | null {
  const t = text.trim();
  return /^\d{1,6}$/.test(t) ? Number(t) : null;
}

function inRange(n: number): boolean {
  return n >= 1 && n <= MAX_CHANNEL;
}

/** Channels in list order, duplicates removed. */
export function parseChannelList(list: string): ChannelListResult {
  const items = list.split(',').map((s) => s.trim());
  if (items.length === 0 || items.every((s) => s === '')) return { ok: false, reason: 'empty channel list' };
  const seen = new Set<number>();
  for (const item of items) {
    if (item === '') continue;
    const dash = item.indexOf('-');
    if (dash < 0) {
      const n = parseNumber(item);
      if (n === null) return { ok: false, reason: `'${item}' is not a channel number` };
      if (!inRange(n)) return { ok: false, reason: `channel ${n} is outside 1-${MAX_CHANNEL}` };
      seen.add(n);
      continue;
    }
    const start = parseNumber(item.slice(0, dash));
    const end = parseNumber(item.slice(dash + 1));
    if (start === null || end === null) return { ok: false, reason: `'${item}' is not a range <first>-<last>` };
    if (!inRange(start) || !inRange(end)) return { ok: false, reason: `range ${item} goes outside 1-${MAX_CHANNEL}` };
    if (start > end) return { ok: false, reason: `range ${item} runs backwards` };
    for (let n = start; n <= end; n++) seen.add(n);
  }
  return { ok: true, channels: [...seen] };
}

/** "1-15,17-31" for [1..15, 17..31]; input need not be sorted. */
export function formatChannelList(channels: Iterable<number>): string {
  const sorted = [...new Set(channels)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] as number;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) last = sorted[++i] as number;
    parts.push(first === last ? `${first}` : `${first}-${last}`);
    i++;
  }
  return parts.join(',');
}
