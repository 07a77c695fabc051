// The chan_dahdi options the field needs, modelled in the site file (PRI dialplans, MFC/R2
// logging and timers, busy detection on FXO lines without disconnect supervision, caller-ID
// signalling, call and pickup groups), and the `chanDahdi:` escape hatch for every other key
// chan_dahdi knows. Both end up as one map of chan_dahdi key -> value per span or port
// (ChanDahdiSettings), holding only what differs from chan_dahdi's default: the generator writes
// it, import fills it, and the site file shows modelled keys as their fields and the rest under
// chanDahdi. One table (OPTIONS) says which field is which key, where it may stand and how it reads.

import { describe, isMapping, join, suggestion, type Checker, type Mapping } from '../../validation/checker';
import { CHAN_DAHDI_KEYS, chanDahdiKey, isDefault, normalizeValue, type ChanDahdiScope } from './chan-dahdi-keys';
import { formatRanges, parseRanges } from './channels';
import type { ChanDahdiSettings } from './site-types';

export const PRI_DIALPLANS = ['unknown', 'private', 'local', 'national', 'international', 'dynamic', 'redundant'] as const;
/** prilocaldialplan also takes from_channel: the caller ID's own type of number. */
export const PRI_LOCAL_DIALPLANS = [...PRI_DIALPLANS, 'from_channel'] as const;
/** OpenR2's log categories, as chan_dahdi's mfcr2_logging takes them (a comma list). */
export const MFCR2_LOG_CATEGORIES = ['all', 'error', 'warning', 'debug', 'notice', 'cas', 'mf', 'stack', 'nothing'] as const;
export const CID_SIGNALLINGS = ['bell', 'v23', 'v23_jp', 'dtmf', 'smdi'] as const;
export const CID_STARTS = ['ring', 'polarity', 'polarity_in', 'dtmf'] as const;

/** Where a field stands: a digital span entry, its mfcr2 mapping, or an analog port entry. */
export type OptionPlace = 'span' | 'mfcr2' | 'port';

export interface LineOption {
  field: string;
  key: string;
  place: OptionPlace;
  /** Signalling types (span) or port types (port) it means something for. */
  appliesTo: readonly string[];
  why: string;
  /** The chan_dahdi value, or undefined when the value is wrong (already reported). */
  read(c: Checker, value: unknown, path: string): string | undefined;
  /** The value as the site file writes it. */
  toYaml(value: string): unknown;
}

const PRI_KINDS = ['pri_cpe', 'pri_net', 'bri_cpe', 'bri_net'];

function enumOption(field: string, key: string, place: OptionPlace, appliesTo: readonly string[], allowed: readonly string[], why: string): LineOption {
  return {
    field, key, place, appliesTo, why,
    read: (c, value, path) => c.oneOf(value, path, allowed, undefined),
    toYaml: (value) => value,
  };
}

function boolOption(field: string, key: string, place: OptionPlace, appliesTo: readonly string[], why: string): LineOption {
  return {
    field, key, place, appliesTo, why,
    read: (c, value, path) => (typeof value === 'boolean' ? (value ? 'yes' : 'no') : (c.bool(value, path, false), undefined)),
    toYaml: (value) => value === 'yes',
  };
}

function intOption(field: string, key: string, place: OptionPlace, appliesTo: readonly string[], min: number, max: number, why: string): LineOption {
  return {
    field, key, place, appliesTo, why,
    read: (c, value, path) => {
      const before = c.issues.length;
      const n = c.int(value, path, min, max, undefined);
      return c.issues.length === before ? String(n) : undefined;
    },
    toYaml: (value) => Number(value),
  };
}

/** chan_dahdi group lists (callgroup/pickupgroup): 0-63, as a number, a list or "1,3-5". */
function groupListOption(field: string, key: string): LineOption {
  return {
    field, key, place: 'port', appliesTo: ['fxs'], why: 'call pickup is for phones (chan_dahdi takes call and pickup groups on FXO-signalled channels only)',
    read: (c, value, path) => {
      const parsed = parseRanges(value);
      if (!Array.isArray(parsed)) {
        c.fail(path, `${parsed.error}; write groups 0-63 as 1, [1, 3] or "1,3-5"`);
        return undefined;
      }
      const bad = parsed.filter((n) => n < 0 || n > 63);
      if (bad.length > 0 || parsed.length === 0) {
        c.fail(path, `${bad.length > 0 ? `${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not` : 'lists no'} call group${bad.length === 1 ? '' : 's'}: groups run from 0 to 63`);
        return undefined;
      }
      return formatRanges([...new Set(parsed)].sort((a, b) => a - b));
    },
    toYaml: (value) => (/^\d+$/.test(value) ? Number(value) : value),
  };
}

const MFCR2_LOGDIR = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

export const OPTIONS: readonly LineOption[] = [
  enumOption('priDialplan', 'pridialplan', 'span', PRI_KINDS, PRI_DIALPLANS, 'it is the ISDN type of number of the called party'),
  enumOption('priLocalDialplan', 'prilocaldialplan', 'span', PRI_KINDS, PRI_LOCAL_DIALPLANS, 'it is the ISDN type of number of the calling party'),
  boolOption('getAniFirst', 'mfcr2_get_ani_first', 'mfcr2', ['mfcr2'], 'MFC/R2 only'),
  intOption('mfbackTimeout', 'mfcr2_mfback_timeout', 'mfcr2', ['mfcr2'], 500, 30000, 'MFC/R2 only'),
  {
    field: 'logdir', key: 'mfcr2_logdir', place: 'mfcr2', appliesTo: ['mfcr2'], why: 'MFC/R2 only',
    read: (c, value, path) => {
      const text = c.text(value, path, undefined);
      if (MFCR2_LOGDIR.test(text) && !text.split('/').includes('..')) return text;
      c.fail(path, `"${text}" is not a directory under Asterisk's log directory (chan_dahdi writes to <astlogdir>/mfcr2/<logdir>): letters, digits, _ . - and /, no leading / and no ..`);
      return undefined;
    },
    toYaml: (value) => value,
  },
  boolOption('callFiles', 'mfcr2_call_files', 'mfcr2', ['mfcr2'], 'MFC/R2 only'),
  {
    field: 'logging', key: 'mfcr2_logging', place: 'mfcr2', appliesTo: ['mfcr2'], why: 'MFC/R2 only',
    read: (c, value, path) => {
      const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [value];
      const before = c.issues.length;
      const out: string[] = [];
      items.forEach((item, i) => {
        const cat = c.oneOf(item, Array.isArray(value) ? `${path}[${i}]` : path, MFCR2_LOG_CATEGORIES, undefined);
        if (cat !== undefined && !out.includes(cat)) out.push(cat);
      });
      if (out.length === 0 || c.issues.length > before) return undefined;
      if (out.length > 1 && (out.includes('all') || out.includes('nothing'))) {
        c.fail(path, `"${out.includes('all') ? 'all' : 'nothing'}" stands alone: it already says every category (all) or none (nothing)`);
        return undefined;
      }
      return out.join(',');
    },
    toYaml: (value) => value.split(','),
  },
  boolOption('busyDetect', 'busydetect', 'port', ['fxo'], 'it listens for the exchange\'s busy tone on a line from the exchange'),
  intOption('busyCount', 'busycount', 'port', ['fxo'], 1, 20, 'it belongs to busyDetect'),
  {
    field: 'busyPattern', key: 'busypattern', place: 'port', appliesTo: ['fxo'], why: 'it belongs to busyDetect',
    read: (c, value, path) => {
      const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : undefined;
      const m = text === undefined ? null : /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text);
      const tone = Number(m?.[1]);
      const silence = Number(m?.[2]);
      if (m && tone >= 50 && tone <= 5000 && silence >= 50 && silence <= 5000) return `${tone},${silence}`;
      c.fail(path, `expected "tone,silence" in milliseconds, each 50-5000 (e.g. "500,500" for a 500 ms on, 500 ms off busy tone), got ${describe(value)}`);
      return undefined;
    },
    toYaml: (value) => value,
  },
  enumOption('cidSignalling', 'cidsignalling', 'port', ['fxo', 'fxs'], CID_SIGNALLINGS, ''),
  enumOption('cidStart', 'cidstart', 'port', ['fxo'], CID_STARTS, 'it says what starts the caller ID the exchange sends'),
  groupListOption('callGroup', 'callgroup'),
  groupListOption('pickupGroup', 'pickupgroup'),
];

export const SPAN_OPTION_FIELDS = OPTIONS.filter((o) => o.place === 'span').map((o) => o.field);
export const MFCR2_OPTION_FIELDS = OPTIONS.filter((o) => o.place === 'mfcr2').map((o) => o.field);
export const PORT_OPTION_FIELDS = OPTIONS.filter((o) => o.place === 'port').map((o) => o.field);
export const CHAN_DAHDI_FIELD = 'chanDahdi';

export function optionForKey(key: string): LineOption | undefined {
  return OPTIONS.find((o) => o.key === key);
}

/**
 * Reads the modelled options standing in `m` at `place` into settings. `kind` is the span's
 * signalling or the port's type; an option for another kind is refused, saying whose it is.
 */
export function readOptions(c: Checker, m: Mapping, path: string, place: OptionPlace, kind: string, into: Record<string, string>): void {
  for (const option of OPTIONS.filter((o) => o.place === place)) {
    const value = m[option.field];
    if (value === undefined) continue;
    const p = join(path, option.field);
    if (!option.appliesTo.includes(kind)) {
      c.fail(p, `has no meaning on ${place === 'port' ? `an ${kind.toUpperCase()} port` : `a ${kind} span`}: ${option.why || `it belongs to ${option.appliesTo.join(', ')}`}`);
      continue;
    }
    const v = option.read(c, value, p);
    if (v === undefined) continue;
    // Nothing to write: a default and no value are one thing in the files (and so for import).
    if (isDefault(option.key, v)) c.warn(p, `${describe(value)} is chan_dahdi's default already (${option.key}=${v}); leave it out`);
    else into[option.key] = v;
  }
  if (place === 'port' && into.busydetect === undefined) {
    for (const field of ['busyCount', 'busyPattern']) {
      if (m[field] !== undefined) c.fail(join(path, field), 'takes effect only with busyDetect: true (chan_dahdi ignores it otherwise)');
    }
  }
  if (place === 'mfcr2' && into.mfcr2_call_files === undefined && m.logdir !== undefined) {
    c.warn(join(path, 'logdir'), 'without callFiles: true OpenR2 writes no call files into it');
  }
}

/**
 * The escape hatch: chan_dahdi keys tdmgate does not model, at `scope` (channel keys on a span or
 * port, global keys at the top level). Unknown keys get a did-you-mean, modelled ones the field
 * to use, keys of another scope where they go. Values are text on one line (a ";" is written
 * escaped, as Asterisk reads "\;").
 */
export function readChanDahdi(c: Checker, value: unknown, path: string, scope: Exclude<ChanDahdiScope, 'trunkgroups'>, into: Record<string, string>): void {
  if (value === undefined) return;
  if (!isMapping(value)) {
    c.fail(path, `expected a mapping of chan_dahdi keys to values (e.g. { callwaiting: yes }), got ${describe(value)}`);
    return;
  }
  for (const [rawKey, raw] of Object.entries(value)) {
    const p = join(path, rawKey);
    const key = rawKey.toLowerCase();
    const known = chanDahdiKey(key);
    if (known === undefined) {
      c.fail(p, `is not a chan_dahdi key tdmgate knows${suggestion(key, Object.keys(CHAN_DAHDI_KEYS))}; the keys are listed in docs/site-file.md`);
      continue;
    }
    if (known.modelledBy !== undefined) {
      c.fail(p, `is modelled by the site file: use ${known.modelledBy}`);
      continue;
    }
    if (known.scope !== scope) {
      c.fail(p, known.scope === 'trunkgroups'
        ? 'belongs in [trunkgroups] (NFAS), which the site model does not write'
        : known.scope === 'global'
          ? 'is one setting for the whole driver: put it in the top-level chanDahdi'
          : 'is set per channel: put it in a span\'s or port\'s chanDahdi');
      continue;
    }
    const text = scalarText(raw);
    if (text === undefined || /[\n\r]/.test(text)) {
      c.fail(p, `expected one value on one line (text, number or true/false), got ${describe(raw)}`);
      continue;
    }
    if (isDefault(key, text)) {
      c.warn(p, `"${text}" is chan_dahdi's default already; leave it out`);
      continue;
    }
    into[key] = normalizeValue(key, text);
  }
}

function scalarText(raw: unknown): string | undefined {
  if (typeof raw === 'boolean') return raw ? 'yes' : 'no';
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'string') return raw.trim();
  return undefined;
}

/** Settings equal by key and value (ports with equal settings share a chan_dahdi block). */
export function sameSettings(a: ChanDahdiSettings, b: ChanDahdiSettings): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Settings split into the site file's fields (by place) and its chanDahdi escape hatch. */
export function settingsToYaml(settings: ChanDahdiSettings, place: OptionPlace): { fields: Record<string, unknown>; chanDahdi: Record<string, string> } {
  const fields: Record<string, unknown> = {};
  const chanDahdi: Record<string, string> = {};
  for (const [key, value] of Object.entries(settings)) {
    const option = optionForKey(key);
    if (option === undefined) chanDahdi[key] = value;
    else if (option.place === place) fields[option.field] = option.toYaml(value);
  }
  return { fields, chanDahdi };
}
