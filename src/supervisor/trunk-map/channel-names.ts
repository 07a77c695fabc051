// Asterisk's names for DAHDI channels, both ways, as chan_dahdi.c writes and reads them:
// channel names (`DAHDI/i<span>/<number>-<hexseq>` on PRI/BRI, `DAHDI/<chan>-<n>` otherwise,
// `DAHDI/pseudo-<n>` for conferences) read, and group dial strings (`DAHDI/g<n>/NUM`, G, r, R,
// `DAHDI/i<span>-g<n>/NUM`) written. Pure: nothing here knows the site.

import { HUNT_LETTERS, type HuntOrder } from '../../provisioning/site/site-types';
import { TrunkMapError } from './errors';

/** DAHDI's own limits (DAHDI_MAX_SPANS, DAHDI_MAX_CHANNELS); anything above is not a DAHDI name. */
const MAX_SPAN = 128;
const MAX_CHANNEL = 1024;
/** Channel names are AST_CHANNEL_NAME (80) long at most; refuse long junk before any regex. */
const MAX_NAME = 80;

export type ParsedChannelName =
  /** PRI/BRI: the name tells the span only; the B-channel is CHANNEL(dahdi_channel). */
  | { kind: 'isdn'; span: number; number: string; sequence: number }
  | { kind: 'channel'; channel: number; sequence: number }
  /** A conference/pseudo channel: no trunk behind it, callers ignore it. */
  | { kind: 'pseudo' };

export type NameResult<T> = { ok: true; value: T } | { ok: false; error: TrunkMapError };

const ISDN_NAME = /^DAHDI\/i(\d{1,3})\/(.*)-([0-9a-f]{1,8})$/;
const PLAIN_NAME = /^DAHDI\/(\d{1,4})-(\d{1,9})$/;
const PSEUDO_NAME = /^DAHDI\/pseudo-\d{1,19}$/;

export function parseChannelName(name: unknown): NameResult<ParsedChannelName> {
  if (typeof name !== 'string') return refuse('BAD_CHANNEL_NAME', `channel name must be text, got ${typeof name}`);
  const input = name;
  if (name.length > MAX_NAME) return refuse('BAD_CHANNEL_NAME', `channel name longer than ${MAX_NAME} characters`, input.slice(0, MAX_NAME));
  if (!name.startsWith('DAHDI/')) return refuse('BAD_CHANNEL_NAME', `"${name}" is not a DAHDI channel`, input);
  if (PSEUDO_NAME.test(name)) return { ok: true, value: { kind: 'pseudo' } };
  const isdn = ISDN_NAME.exec(name);
  if (isdn) {
    const span = Number(isdn[1]);
    if (span < 1 || span > MAX_SPAN) return refuse('BAD_CHANNEL_NAME', `"${name}": span ${span} is outside 1-${MAX_SPAN}`, input);
    return { ok: true, value: { kind: 'isdn', span, number: isdn[2] ?? '', sequence: parseInt(isdn[3] ?? '0', 16) } };
  }
  const plain = PLAIN_NAME.exec(name);
  if (plain) {
    const channel = Number(plain[1]);
    if (channel < 1 || channel > MAX_CHANNEL) return refuse('BAD_CHANNEL_NAME', `"${name}": channel ${channel} is outside 1-${MAX_CHANNEL}`, input);
    return { ok: true, value: { kind: 'channel', channel, sequence: Number(plain[2]) } };
  }
  return refuse('BAD_CHANNEL_NAME', `"${name}" is not a DAHDI channel name (DAHDI/i<span>/<number>-<seq> or DAHDI/<channel>-<n>)`, input);
}

/** A dial string's target: a trunk group in a hunt order, optionally held to one span (`i<span>-`). */
export interface GroupDial {
  group: number;
  hunt: HuntOrder;
  /** Only this span of the group (chan_dahdi honours it on PRI/BRI spans); null for any. */
  span: number | null;
}

/** What chan_dahdi passes on as a number: digits, * # + and the A-D DTMF letters; w for a pause. */
const DIAL_NUMBER = /^[0-9*#+A-Dw]{1,64}$/;

/** `DAHDI/[i<span>-]<letter><group>/NUM`; the number must already be in the carrier's form. */
export function formatDialString(target: GroupDial, number: string): string {
  if (!DIAL_NUMBER.test(number)) throw new TrunkMapError('BAD_DIAL_STRING', `number "${number}" has characters a trunk cannot dial`, { input: number });
  const span = target.span === null ? '' : `i${target.span}-`;
  return `DAHDI/${span}${HUNT_LETTERS[target.hunt]}${target.group}/${number}`;
}

/** The name chan_dahdi gives a non-ISDN channel (tests and the ARI stand-in use it). */
export function formatChannelName(channel: number, sequence = 1): string {
  return `DAHDI/${channel}-${sequence}`;
}

export function formatIsdnChannelName(span: number, number: string, sequence: number): string {
  return `DAHDI/i${span}/${number}-${sequence.toString(16)}`;
}

function refuse<T>(code: 'BAD_CHANNEL_NAME', message: string, input?: string): NameResult<T> {
  return { ok: false, error: new TrunkMapError(code, message, input === undefined ? {} : { input }) };
}
