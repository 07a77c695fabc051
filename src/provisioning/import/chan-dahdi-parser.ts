// The chan_dahdi.conf (zapata.conf) channel model: in [channels] settings accumulate line by
// line and every `channel =>` line gives the listed channels a snapshot of what is in force;
// every other section with `dahdichan=` (zapchan= in zapata days) starts from the state [channels]
// ended with, adds its own settings and configures its channels at the end of the section.
// Templates never configure channels; [general], [globals] and [trunkgroups] are not channel
// sections. Settings are kept raw here; import.ts decides what the site model can hold.

import type { SourceRef } from './conf-lexer';
import type { ConfSection, ConfVariable } from './conf-sections';
import { parseChannelList } from './channel-list';
import { importInvalid, note, type ImportNote } from './import-notes';

export interface Setting {
  value: string;
  at: SourceRef;
}

export interface ChanDahdiChannel {
  channel: number;
  /** Lower-case keys, 'signaling' folded into 'signalling'. */
  settings: ReadonlyMap<string, Setting>;
  /** Where the channel was configured (the channel => or dahdichan= line). */
  at: SourceRef;
  /** [channels] for the classic form, the section name for the dahdichan= form. */
  section: string;
}

export interface ChanDahdiConf {
  /** Sorted by channel number. */
  channels: ChanDahdiChannel[];
  /** Settings that reached at least one channel, once each, in the order they first did. */
  appliedSettings: Array<{ key: string; setting: Setting }>;
  notes: ImportNote[];
}

/** chan_dahdi's signalling names (process_dahdi); anything else makes chan_dahdi refuse to load. */
export const CHAN_DAHDI_SIGNALLING = [
  'em', 'em_e1', 'em_w', 'em_rx', 'em_tx', 'em_rxtx', 'em_txrx', 'sf', 'sf_w', 'sf_featd', 'sf_featdmf', 'sf_featb',
  'featd', 'featdmf', 'featdmf_ta', 'e911', 'fgccama', 'fgccamamf', 'featb', 'fxs_ls', 'fxs_gs', 'fxs_ks', 'fxs_rx', 'fxs_tx',
  'fxo_ls', 'fxo_gs', 'fxo_ks', 'fxo_rx', 'fxo_tx', 'pri_net', 'pri_cpe', 'bri_net', 'bri_cpe', 'bri_net_ptmp', 'bri_cpe_ptmp',
  'ss7', 'mfcr2', 'auto', 'gr303fxoks_net', 'gr303fxsks_cpe',
] as const;

const NOT_CHANNEL_SECTIONS = new Set(['general', 'globals', 'trunkgroups', 'channels']);
const KEY_ALIASES: Record<string, string> = { signaling: 'signalling', zapchan: 'dahdichan' };

interface SectionState {
  settings: Map<string, Setting>;
  dahdichan: Setting | null;
}

interface Accumulator {
  channels: Map<number, ChanDahdiChannel>;
  applied: Map<Setting, string>;
  notes: ImportNote[];
}

export function parseChanDahdi(sections: readonly ConfSection[]): ChanDahdiConf {
  const acc: Accumulator = { channels: new Map(), applied: new Map(), notes: [] };
  const channelSections = sections.filter((s) => !s.template && s.name.toLowerCase() === 'channels');
  const base: SectionState = { settings: new Map(), dahdichan: null };
  const first = channelSections[0];
  if (first) runSection(acc, base, first, false);
  for (const extra of channelSections.slice(1)) {
    acc.notes.push(note(extra.at, `a second [channels] section is ignored by chan_dahdi (only the first is read); extend it with [channels](+)`));
  }
  for (const section of sections) {
    const lower = section.name.toLowerCase();
    if (section.template || NOT_CHANNEL_SECTIONS.has(lower)) {
      if (lower === 'trunkgroups' || lower === 'general' || lower === 'globals') reportUnread(acc, section);
      continue;
    }
    const state: SectionState = { settings: new Map(base.settings), dahdichan: null };
    runSection(acc, state, section, true);
    if (state.dahdichan === null) {
      acc.notes.push(note(section.at, `[${section.name}] has no dahdichan=, so chan_dahdi configures nothing from it`));
    }
  }
  const channels = [...acc.channels.values()].sort((a, b) => a.channel - b.channel);
  const appliedSettings = [...acc.applied.entries()].map(([setting, key]) => ({ key, setting }));
  return { channels, appliedSettings, notes: acc.notes };
}

function reportUnread(acc: Accumulator, section: ConfSection): void {
  const why = section.name.toLowerCase() === 'trunkgroups' ? 'NFAS/GR-303 trunk groups are not in the site model' : 'chan_dahdi does not read this section';
  for (const v of section.variables) acc.notes.push(note(v.at, `[${section.name}] ${v.key}=${v.value} not carried over: ${why}`));
}

function canonicalKey(key: string): string {
  const lower = key.toLowerCase();
  return KEY_ALIASES[lower] ?? lower;
}

function runSection(acc: Accumulator, state: SectionState, section: ConfSection, newStyle: boolean): void {
  for (const v of section.variables) {
    const key = canonicalKey(v.key);
    if (key === 'channel' || key === 'channels') {
      if (newStyle) acc.notes.push(note(v.at, `${v.key} => ${v.value} in [${section.name}] is ignored by chan_dahdi; use dahdichan=`));
      else configure(acc, state.settings, v, section.name);
    } else if (key === 'dahdichan') {
      state.dahdichan = { value: v.value, at: v.at };
    } else {
      if (key === 'signalling') checkSignalling(v);
      state.settings.set(key, { value: v.value, at: v.at });
    }
  }
  if (state.dahdichan !== null) {
    configure(acc, state.settings, { key: 'dahdichan', value: state.dahdichan.value, object: false, at: state.dahdichan.at }, section.name);
  }
}

function checkSignalling(v: ConfVariable): void {
  const value = v.value.toLowerCase();
  if (!(CHAN_DAHDI_SIGNALLING as readonly string[]).includes(value)) {
    throw importInvalid(v.at, `unknown signalling '${v.value}' (chan_dahdi refuses to load)`);
  }
}

function configure(acc: Accumulator, settings: ReadonlyMap<string, Setting>, v: ConfVariable, section: string): void {
  const list = v.value.split(',').filter((item) => {
    if (item.trim().toLowerCase() !== 'pseudo') return true;
    acc.notes.push(note(v.at, 'pseudo channel not carried over: it is not a trunk'));
    return false;
  });
  if (list.length === 0) return;
  const parsed = parseChannelList(list.join(','));
  if (!parsed.ok) throw importInvalid(v.at, `${v.key} => ${v.value}: ${parsed.reason}`);
  const signalling = settings.get('signalling');
  if (!signalling || signalling.value === '') {
    throw importInvalid(v.at, `${v.key} => ${v.value} before any signalling= (chan_dahdi refuses channels without signalling)`);
  }
  const snapshot = new Map(settings);
  for (const [key, setting] of snapshot) acc.applied.set(setting, key);
  for (const channel of parsed.channels) {
    const earlier = acc.channels.get(channel);
    if (earlier) {
      acc.notes.push(note(v.at, `channel ${channel} was already configured at ${earlier.at.file}:${earlier.at.line}; chan_dahdi keeps this later one`));
    }
    acc.channels.set(channel, { channel, settings: snapshot, at: v.at, section });
  }
}
