// The attempts of one outbound call on a trunk group, from the group's spans and their
// availability: spans in alarm or maintenance get none. Pure: the TrunkMap passes its live view.

import type { HuntOrder } from '../../provisioning/site/site-types';
import { formatDialString } from './channel-names';
import type { SpanAvailability } from './span-condition';

export interface DialAttempt {
  /** The span this attempt is held to, or null (chan_dahdi picks among the whole group). */
  span: number | null;
  /** Asterisk dial string: DAHDI/i<span>-g<n>/NUM or DAHDI/g<n>/NUM (G, r, R per hunt order). */
  dial: string;
}

export interface GroupSpan {
  span: number;
  state: SpanAvailability;
  /** PRI/BRI: chan_dahdi can be told to use this span only (`i<span>-`); R2/CAS/analog cannot. */
  isdn: boolean;
  /** Idle channels not already headed for by an attempt under way. */
  free: number;
  /** Milliseconds before the span's attempt-rate cap lets an attempt go to it (0 = now). */
  waitMs: number;
}

/**
 * One attempt per in-service span, in the group's hunt direction, when every one is ISDN
 * (chan_dahdi's `i<span>-` works on PRI/BRI spans only); otherwise one group-wide attempt, where
 * chan_dahdi itself skips channels in alarm. Spans with a free channel come before full ones
 * (still tried: a channel may free by then), so a full span costs no refused originate. No span
 * in service: no attempt (the caller treats it as congestion). `spans` come in ascending order.
 */
export function planAttempts(group: number, hunt: HuntOrder, spans: readonly GroupSpan[], number: string): DialAttempt[] {
  const usable = spans.filter((s) => s.state === 'in-service');
  if (usable.length === 0) return [];
  if (!usable.every((s) => s.isdn)) return [{ span: null, dial: formatDialString({ group, hunt, span: null }, number) }];
  const descending = hunt === 'descending' || hunt === 'round-robin-descending';
  const hunted = descending ? [...usable].reverse() : usable;
  const paced = hunted.filter((s) => s.free > 0 && s.waitMs > 0).sort((a, b) => a.waitMs - b.waitMs);
  const ordered = [...hunted.filter((s) => s.free > 0 && s.waitMs <= 0), ...paced, ...hunted.filter((s) => s.free <= 0)];
  return ordered.map((s) => ({ span: s.span, dial: formatDialString({ group, hunt, span: s.span }, number) }));
}
