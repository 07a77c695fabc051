// Timeslot arithmetic of a span: which positions carry bearer channels and which the D-channel,
// for each line type and signalling, and the "1-15,17-31" range notation both DAHDI and
// chan_dahdi use. Pure functions; the validator and the generators share them.

import { CHANNELS_PER_SPAN } from '../../hardware/dahdi-constants';
import type { LineType, SignallingType } from './site-types';

export function channelsPerSpan(line: LineType): number {
  return CHANNELS_PER_SPAN[line];
}

/** Position of the D-channel: TS16 on E1 PRI, channel 24 on T1/J1 PRI, 3 on BRI; null for CAS/R2. */
export function dchannelTimeslot(line: LineType, signalling: SignallingType): number | null {
  if (line === 'BRI') return 3;
  if (signalling !== 'pri_cpe' && signalling !== 'pri_net') return null;
  return line === 'E1' ? 16 : 24;
}

/** Positions that carry calls: every position but the D-channel, and on E1 never TS16 (CAS or D). */
export function bearerTimeslots(line: LineType, signalling: SignallingType): number[] {
  const d = dchannelTimeslot(line, signalling);
  const all = Array.from({ length: channelsPerSpan(line) }, (_, i) => i + 1);
  return all.filter((ts) => ts !== d && !(line === 'E1' && ts === 16));
}

/**
 * Parses a channel list as people write it: 5, "1-15,17-31", [1, 2, "5-7"]. Returns the sorted
 * distinct numbers, or a reason the text is not a list of channels.
 */
export function parseRanges(value: unknown): number[] | { error: string } {
  const parts = Array.isArray(value) ? value : [value];
  const out = new Set<number>();
  for (const part of parts) {
    const pieces = typeof part === 'number' ? [String(part)] : typeof part === 'string' ? part.split(',') : null;
    if (pieces === null) return { error: 'expected channel numbers such as 1-15,17-31' };
    for (const piece of pieces) {
      const m = /^\s*(\d{1,4})\s*(?:-\s*(\d{1,4})\s*)?$/.exec(piece);
      if (!m) return { error: `"${piece.trim()}" is not a channel or a range such as 1-15` };
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (to < from) return { error: `range ${from}-${to} runs backwards` };
      for (let n = from; n <= to; n++) out.add(n);
    }
  }
  if (out.size === 0) return { error: 'is empty' };
  return [...out].sort((a, b) => a - b);
}

/** [1,2,3,5] -> "1-3,5". */
export function formatRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0];
  let prev = start;
  for (const n of [...sorted.slice(1), Number.NaN]) {
    if (start === undefined || prev === undefined) break;
    if (n === prev + 1) {
      prev = n;
      continue;
    }
    parts.push(start === prev ? String(start) : `${start}-${prev}`);
    start = n;
    prev = n;
  }
  return parts.join(',');
}

/** Spans whose far end is the carrier (or a network we follow): clock is recovered from them. */
export function facesNetwork(signalling: SignallingType): boolean {
  return signalling !== 'pri_net' && signalling !== 'bri_net';
}

/** Channels an analog card's span takes: portCount, or up to its highest listed port. */
export function analogChannels(card: { portCount: number | null; analog: { ports: readonly { port: number }[] } | null }): number {
  if (!card.analog) return 0;
  return card.portCount ?? Math.max(0, ...card.analog.ports.map((p) => p.port));
}

/** Two group lists alike, order included (the first group gives the context). */
export function sameGroups(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
