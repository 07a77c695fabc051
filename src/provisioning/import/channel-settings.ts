// Import of the chan_dahdi settings the site model holds beyond signalling and groups: per span
// or port, every key chan_dahdi knows (the modelled options and the chanDahdi escape hatch,
// chan-dahdi-keys.ts), driver-wide keys for the site, and each card's echo canceller. A value
// equal to chan_dahdi's default carries nothing (tdmgate writes defaults into blocks that do not
// set a key, so they must not come back as settings); a value the model refuses, a key that means
// nothing where it stands, or channels of one span that disagree become notes.

import { Checker } from '../../validation/checker';
import { chanDahdiKey, isDefault, normalizeValue } from '../site/chan-dahdi-keys';
import { optionForKey } from '../site/line-options';
import type { EchoCanceller } from '../site/site-types';
import type { ChanDahdiChannel, Setting } from './chan-dahdi-parser';
import type { SourceRef } from './conf-lexer';
import { note, type ImportNote } from './import-notes';

/** Keys the site builder reads itself (signalling, groups, contexts, MFC/R2 basics, echo). */
const STRUCTURAL = new Set([
  'signalling', 'switchtype', 'group', 'context', 'hidecallerid', 'usecallingpres', 'echocancel', 'echocancelwhenbridged',
  'channel', 'dahdichan', 'mfcr2_variant', 'mfcr2_category', 'mfcr2_max_ani', 'mfcr2_max_dnis',
]);

/** Keys the site carries: the builder's own and every channel or global key chan_dahdi knows. */
export function isCarriedKey(key: string): boolean {
  const known = chanDahdiKey(key);
  return STRUCTURAL.has(key) || (known !== undefined && known.scope !== 'trunkgroups');
}


/** A setting as the site would hold it, or a note saying why it cannot (once per line and kind). */
function acceptValue(key: string, setting: Setting, kind: string, notes: ImportNote[]): string | null {
  const value = normalizeValue(key, setting.value);
  const option = optionForKey(key);
  if (option === undefined) return value;
  if (!option.appliesTo.includes(kind)) {
    const kindText = kind === 'fxo' || kind === 'fxs' ? `${kind.toUpperCase()} ports` : `${kind} spans`;
    if (!isDefault(key, value)) notes.push(note(setting.at, `${key}=${setting.value} not carried over: it means nothing on ${kindText}`));
    return null;
  }
  const c = new Checker();
  const yaml = option.toYaml(value);
  const read = option.read(c, yaml, option.field);
  if (read === undefined) {
    notes.push(note(setting.at, `${key}=${setting.value} not carried over: ${c.issues[0]?.message ?? 'not a value the site model takes'}`));
    return null;
  }
  return read;
}

/**
 * The channel-scope settings of a span or port: each key's most common value over its channels
 * (a channel without the key counts as chan_dahdi's default), kept when it is not the default.
 * `kind` is the span's signalling or the port's type, for options that belong to one kind.
 */
export function channelSettings(chans: readonly ChanDahdiChannel[], kind: string, what: { text: string; at: SourceRef }, notes: ImportNote[]): Record<string, string> {
  const keys = new Set(chans.flatMap((ch) => [...ch.settings.keys()]));
  const out: Record<string, string> = {};
  for (const key of [...keys].sort()) {
    const known = chanDahdiKey(key);
    if (known === undefined || known.scope !== 'channel' || STRUCTURAL.has(key)) continue;
    const values = chans.map((ch) => {
      const s = ch.settings.get(key);
      return s === undefined || s.value === '' ? known.default : acceptValue(key, s, kind, notes) ?? known.default;
    });
    const chosen = mostCommon(values);
    if (new Set(values).size > 1) notes.push(note(what.at, `${what.text}: ${key} differs between its channels; the site keeps ${chosen === '' ? '(empty)' : chosen}`));
    if (chosen !== undefined && !isDefault(key, chosen)) out[key] = chosen;
  }
  return out;
}

/** Driver-wide keys (jitter buffer, toneduration, ...) as the channels saw them: one value each. */
export function globalSettings(chans: readonly ChanDahdiChannel[]): Record<string, string> {
  const seen = new Map<string, string[]>();
  for (const ch of chans) {
    for (const [key, s] of ch.settings) {
      if (chanDahdiKey(key)?.scope !== 'global' || s.value === '') continue;
      seen.set(key, [...(seen.get(key) ?? []), normalizeValue(key, s.value)]);
    }
  }
  const out: Record<string, string> = {};
  for (const key of [...seen.keys()].sort()) {
    const chosen = mostCommon(seen.get(key) ?? []);
    if (chosen !== undefined && !isDefault(key, chosen)) out[key] = chosen;
  }
  return out;
}

const ECHO_NAMES: Record<string, EchoCanceller> = {
  mg2: 'mg2', oslec: 'oslec', hwec: 'hardware', none: 'none', kb1: 'kb1', sec: 'sec', sec2: 'sec2', hpec: 'hpec',
};

export interface EchoSeen {
  /** system.conf's echocanceller name for the channel, 'none' without one. */
  name: string;
  at: SourceRef | null;
  /** chan_dahdi's echocancelwhenbridged for the channel. */
  whenBridged: boolean;
}

/**
 * One echo canceller for a set of channels (a card, or the whole site): the most common, a note
 * for each other one seen; names the model lacks become mg2 with a note.
 */
export function pickEcho(seen: readonly EchoSeen[], what: string, notes: ImportNote[]): { echoCanceller: EchoCanceller; echoCancelWhenBridged: boolean } {
  const chosen = mostCommon(seen.map((e) => e.name)) ?? 'none';
  const reported = new Set<string>();
  for (const e of seen) {
    if (e.name === chosen || reported.has(e.name) || e.at === null) continue;
    reported.add(e.name);
    notes.push(note(e.at, `echo canceller ${e.name} on some channels of ${what}, ${chosen} on most; the site has one echo canceller per card (${chosen})`));
  }
  const bridged = mostCommon(seen.map((e) => String(e.whenBridged))) === 'true';
  const mapped = ECHO_NAMES[chosen];
  if (mapped !== undefined) return { echoCanceller: mapped, echoCancelWhenBridged: bridged };
  const at = seen.find((e) => e.name === chosen)?.at;
  if (at) notes.push(note(at, `echo canceller ${chosen} is not one DAHDI ships (${Object.keys(ECHO_NAMES).join(', ')}); mg2 used`));
  return { echoCanceller: 'mg2', echoCancelWhenBridged: bridged };
}

/** Without notes: the site-wide pick that cards differing from it override. */
export function siteEcho(seen: readonly EchoSeen[]): { echoCanceller: EchoCanceller; echoCancelWhenBridged: boolean } {
  return pickEcho(seen.map((e) => ({ ...e, at: null })), 'the site', []);
}

/** The most frequent value, first seen winning ties. */
export function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [v, n] of counts) {
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}
