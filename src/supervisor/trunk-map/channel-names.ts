// Asterisk's names for DAHDI channels, both ways, as chan_dahdi.c writes and reads them:
// channel names (`DAHDI/i<span>/<number>-<hexseq>` on PRI/BRI, `DAHDI/<chan>-<n>` otherwise,
// `DAHDI/pseudo-<n>` for conferences) and dial strings (`DAHDI/g<n>/NUM`, G, r, R,
// `DAHDI/i<span>-g<n>/NUM`, `DAHDI/<chan>/NUM`). Pure: nothing here knows the site.

import type { HuntOrder } from '../../provisioning/site/site-types';
import { TrunkMapError } from './errors';

/** DAHDI's own limits (DAHDI_MAX_SPANS, DAHDI_MAX_CHANNELS); anything above is not a DAHDI name. */
const MAX_SPAN = 128;
const MAX_CHANNEL = 1024;
/** chan_dahdi groups are bits of a 64-bit mask. */
const MAX_GROUP = 63;
/** Channel names are AST_CHANNEL_NAME (80) long at most; refuse long junk before any regex. */
const MAX_NAME = 80;
const MAX_DIAL = 256;

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

/** chan_dahdi's hunt letters: g lowest first, G highest first, r/R round robin up/down. */
export const HUNT_LETTERS: Record<HuntOrder, 'g' | 'G' | 'r' | 'R'> = {
  ascending: 'g',
  descending: 'G',
  'round-robin': 'r',
  'round-robin-descending': 'R',
};
const LETTER_HUNT: Record<string, HuntOrder> = { g: 'ascending', G: 'descending', r: 'round-robin', R: 'round-robin-descending' };

export type DialTarget =
  | { kind: 'group'; group: number; hunt: HuntOrder; /** `i<span>-`: only this span of the group. */ span: number | null }
  | { kind: 'channel'; channel: number };

export interface ParsedDialString {
  target: DialTarget;
  number: string;
}

const DIAL = /^DAHDI\/(?:i(\d{1,3})-)?(?:([gGrR])(\d{1,2})|(\d{1,4}))\/([^/]+)$/;
/** What chan_dahdi passes on as a number: digits, * # + and the A-D DTMF letters; w for a pause. */
const DIAL_NUMBER = /^[0-9*#+A-Dw]{1,64}$/;

export function parseDialString(text: unknown): NameResult<ParsedDialString> {
  if (typeof text !== 'string') return refuse('BAD_DIAL_STRING', `dial string must be text, got ${typeof text}`);
  if (text.length > MAX_DIAL) return refuse('BAD_DIAL_STRING', `dial string longer than ${MAX_DIAL} characters`, text.slice(0, MAX_DIAL));
  const m = DIAL.exec(text);
  if (!m) return refuse('BAD_DIAL_STRING', `"${text}" is not a DAHDI dial string (DAHDI/g<n>/NUM, G, r, R, DAHDI/i<span>-g<n>/NUM or DAHDI/<channel>/NUM)`, text);
  const [, spanText, letter, groupText, channelText, number = ''] = m;
  if (!DIAL_NUMBER.test(number)) return refuse('BAD_DIAL_STRING', `"${text}": number "${number}" has characters a trunk cannot dial`, text);
  if (channelText !== undefined) {
    if (spanText !== undefined) return refuse('BAD_DIAL_STRING', `"${text}": i<span>- goes with a group, not a channel`, text);
    const channel = Number(channelText);
    if (channel < 1 || channel > MAX_CHANNEL) return refuse('BAD_DIAL_STRING', `"${text}": channel ${channel} is outside 1-${MAX_CHANNEL}`, text);
    return { ok: true, value: { target: { kind: 'channel', channel }, number } };
  }
  const group = Number(groupText);
  if (group > MAX_GROUP) return refuse('BAD_DIAL_STRING', `"${text}": group ${group} is outside 0-${MAX_GROUP}`, text);
  const span = spanText === undefined ? null : Number(spanText);
  if (span !== null && (span < 1 || span > MAX_SPAN)) return refuse('BAD_DIAL_STRING', `"${text}": span ${span} is outside 1-${MAX_SPAN}`, text);
  return { ok: true, value: { target: { kind: 'group', group, hunt: LETTER_HUNT[letter ?? 'g'] ?? 'ascending', span }, number } };
}

/** The dial string Asterisk takes for a target; the number must already be normalised. */
export function formatDialString(target: DialTarget, number: string): string {
  if (!DIAL_NUMBER.test(number)) throw new TrunkMapError('BAD_DIAL_STRING', `number "${number}" has characters a trunk cannot dial`, { input: number });
  if (target.kind === 'channel') return `DAHDI/${target.channel}/${number}`;
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

function refuse<T>(code: 'BAD_CHANNEL_NAME' | 'BAD_DIAL_STRING', message: string, input?: string): NameResult<T> {
  return { ok: false, error: new TrunkMapError(code, message, input === undefined ? {} : { input }) };
}
