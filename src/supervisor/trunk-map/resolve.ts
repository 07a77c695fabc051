// Asterisk channel names checked against the site's layout: which span, timeslot and group a
// DAHDI channel name means. Pure; refusals are TrunkMapErrors in a result, never throws,
// because names come from the network (ARI events) and a bad one must be logged, not crash
// the supervisor.

import { TrunkMapError } from './errors';
import { parseChannelName, type NameResult } from './channel-names';
import type { ChannelInfo, SpanInfo, TrunkLayout } from './layout';

export type ResolvedChannel =
  | { kind: 'channel'; name: string; info: ChannelInfo }
  /** An ISDN name without CHANNEL(dahdi_channel): the span is known, the B-channel not yet. */
  | { kind: 'span'; name: string; span: SpanInfo; groups: number[] }
  | { kind: 'pseudo'; name: string };

export interface ResolveHint {
  /** CHANNEL(dahdi_channel) as Asterisk reports it, when the caller has it. */
  dahdiChannel?: number | null;
}

export function resolveChannelName(layout: TrunkLayout, name: unknown, hint: ResolveHint = {}): NameResult<ResolvedChannel> {
  const parsed = parseChannelName(name);
  if (!parsed.ok) return parsed;
  const text = name as string;
  const p = parsed.value;
  if (p.kind === 'pseudo') return { ok: true, value: { kind: 'pseudo', name: text } };
  if (p.kind === 'channel') {
    const found = bearer(layout, p.channel, text);
    return found.ok ? { ok: true, value: { kind: 'channel', name: text, info: found.value } } : found;
  }
  const span = layout.spans.get(p.span);
  if (!span) return fail('UNKNOWN_SPAN', `"${text}": span ${p.span} is not in the site`, { span: p.span, input: text });
  const dahdi = hint.dahdiChannel;
  if (dahdi !== undefined && dahdi !== null) {
    const found = bearer(layout, dahdi, text);
    if (!found.ok) return found;
    if (found.value.span !== p.span) {
      return fail('UNKNOWN_CHANNEL', `"${text}": dahdi_channel ${dahdi} is on span ${found.value.span}, the name says span ${p.span}`, { channel: dahdi, span: p.span, input: text });
    }
    return { ok: true, value: { kind: 'channel', name: text, info: found.value } };
  }
  return { ok: true, value: { kind: 'span', name: text, span, groups: [...span.groups] } };
}

/** The bearer channel, or why that number is not one (D-channel, TS16, not in the site). */
export function bearer(layout: TrunkLayout, channel: number, input?: string): NameResult<ChannelInfo> {
  const info = layout.channels.get(channel);
  if (info) return { ok: true, value: info };
  const facts = input === undefined ? { channel } : { channel, input };
  for (const span of layout.spans.values()) {
    if (span.dchannel === channel) return fail('NOT_A_BEARER', `channel ${channel} is span ${span.span}'s D-channel, not a bearer channel`, { ...facts, span: span.span });
    const ts = channel - span.baseChannel + 1;
    if (ts >= 1 && span.line === 'E1' && ts === 16) return fail('NOT_A_BEARER', `channel ${channel} is span ${span.span}'s TS16 (signalling), not a bearer channel`, { ...facts, span: span.span });
  }
  return fail('UNKNOWN_CHANNEL', `channel ${channel} is not a bearer channel of this site`, facts);
}

function fail<T>(code: 'UNKNOWN_SPAN' | 'UNKNOWN_CHANNEL' | 'NOT_A_BEARER', message: string, facts: ConstructorParameters<typeof TrunkMapError>[2]): NameResult<T> {
  return { ok: false, error: new TrunkMapError(code, message, facts) };
}
