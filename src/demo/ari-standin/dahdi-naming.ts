// chan_dahdi's dial strings and channel names. Dial: DAHDI/g<n>/NUM (group, lowest channel
// first), G (highest first), r / R (round robin up / down), an optional i<span>- prefix that keeps
// the hunt on one span, or DAHDI/<channel>[/NUM]. Names: PRI/BRI "DAHDI/i<span>/<number>-<hex
// seq>" (the dialled number outbound, the caller's number inbound; one sequence per span), others
// "DAHDI/<channel>-<n>".

import { badRequest } from './errors';

export type HuntDirection = 'ascending' | 'descending' | 'round-robin' | 'round-robin-descending';

export type DialTarget =
  | { kind: 'group'; group: number; hunt: HuntDirection; span: number | null }
  | { kind: 'channel'; channel: number };

export interface ParsedDial {
  /** The resource after "DAHDI/" (what Dial events call dialstring). */
  resource: string;
  target: DialTarget;
  number: string;
}

const HUNTS: Readonly<Record<string, HuntDirection>> = { g: 'ascending', G: 'descending', r: 'round-robin', R: 'round-robin-descending' };

export type DialParse = { ok: true; dial: ParsedDial } | { ok: false; reason: 'not-dahdi' | 'bad-resource' };

/**
 * Splits an originate endpoint. Throws the 400 Asterisk answers when there is no "/"; a
 * technology other than DAHDI or a resource chan_dahdi cannot parse is a failed request
 * (Asterisk answers 500 "Allocation failed"), told apart by `reason`.
 */
export function parseEndpoint(endpoint: string): DialParse {
  const slash = endpoint.indexOf('/');
  if (slash <= 0) throw badRequest('Invalid endpoint specified');
  if (endpoint.slice(0, slash).toUpperCase() !== 'DAHDI') return { ok: false, reason: 'not-dahdi' };
  const resource = endpoint.slice(slash + 1);
  const [head = '', ...rest] = resource.split('/');
  const number = rest.join('/');
  const group = /^(?:i(\d+)-)?([gGrR])(\d+)$/.exec(head);
  if (group) {
    const hunt = HUNTS[group[2] ?? 'g'] ?? 'ascending';
    return { ok: true, dial: { resource, number, target: { kind: 'group', group: Number(group[3]), hunt, span: group[1] === undefined ? null : Number(group[1]) } } };
  }
  if (/^\d+$/.test(head)) return { ok: true, dial: { resource, number, target: { kind: 'channel', channel: Number(head) } } };
  return { ok: false, reason: 'bad-resource' };
}

/** Per-span PRI sequences (sig_pri's new_chan_seq) and the names chan_dahdi gives. */
export class ChannelNamer {
  private readonly priSeq = new Map<number, number>();

  name(trunk: { channel: number; span: number; type: string }, address: string): string {
    if (trunk.type === 'pri') {
      const seq = (this.priSeq.get(trunk.span) ?? 0) + 1;
      this.priSeq.set(trunk.span, seq);
      return `DAHDI/i${trunk.span}/${address}-${seq.toString(16)}`;
    }
    // chan_dahdi counts up from 1 while the name is taken; one call per channel leaves it at 1.
    return `DAHDI/${trunk.channel}-1`;
  }

  reset(): void {
    this.priSeq.clear();
  }
}
