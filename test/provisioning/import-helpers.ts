// Shared by the import tests: the corpus on disk, an in-memory file reader, and what a pair of
// system.conf + chan_dahdi.conf configures (spans and channels) read through the import's own
// parsers, so the round trip compares configuration rather than text.

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAsteriskConf, type FileReader } from '../../src/provisioning/import/conf-loader';
import { buildSections } from '../../src/provisioning/import/conf-sections';
import { parseChanDahdi } from '../../src/provisioning/import/chan-dahdi-parser';
import { parseSystemConf } from '../../src/provisioning/import/system-conf-parser';
import { TONE_ZONES } from '../../src/provisioning/site/site-types';

export const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'provisioning', 'import-corpus');

export interface CorpusSite {
  name: string;
  systemConf: string;
  chanDahdi: string | undefined;
}

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  return names.map((n) => join(dir, n)).find((p) => existsSync(p));
}

export function corpusSite(dir: string): CorpusSite {
  const systemConf = firstExisting(dir, ['system.conf', 'zaptel.conf']);
  if (systemConf === undefined) throw new Error(`${dir} has no system.conf or zaptel.conf`);
  return { name: dir.split('/').pop() ?? dir, systemConf, chanDahdi: firstExisting(dir, ['chan_dahdi.conf', 'zapata.conf']) };
}

export function corpusSites(): CorpusSite[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'broken')
    .map((d) => corpusSite(join(CORPUS, d.name)));
}

export function brokenSites(): CorpusSite[] {
  const dir = join(CORPUS, 'broken');
  return readdirSync(dir).sort().map((name) => corpusSite(join(dir, name)));
}

/** Reads from a map of path -> text; null for a path it does not hold. */
export function memoryReader(files: ReadonlyMap<string, string>): FileReader {
  return (path) => Promise.resolve(files.get(path) ?? null);
}

/** Every file of a corpus directory, keyed by absolute path. */
export function corpusFiles(site: CorpusSite): Map<string, string> {
  const dir = dirname(site.systemConf);
  return new Map(readdirSync(dir).map((f) => [join(dir, f), readFileSync(join(dir, f), 'utf8')]));
}

export interface SpanFacts {
  framing: string;
  coding: string;
  crc4: boolean;
  timing: number;
  lbo: number;
}

export interface ChannelFacts {
  /** The system.conf keyword ('bchan', 'fxsks', ...). */
  kind: string;
  /** chan_dahdi's signalling, null when chan_dahdi.conf does not configure the channel. */
  signalling: string | null;
  /** Every group the channel is in, ascending (chan_dahdi's group is a bit mask: order is no meaning). */
  groups: number[];
  context: string | null;
}

export interface ConfigFacts {
  spans: Map<number, SpanFacts>;
  channels: Map<number, ChannelFacts>;
}

/** group=0,11 or 1-3 as chan_dahdi reads it. */
function groupSet(value: string | undefined): number[] {
  const out = new Set<number>();
  for (const piece of (value ?? '').split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
    if (!m) continue;
    for (let n = Number(m[1]); n <= Number(m[2] ?? m[1]) && n <= 63; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

export async function configFacts(systemConf: string, chanDahdi: string | undefined, readFile: FileReader): Promise<ConfigFacts> {
  const systemText = await readFile(systemConf);
  if (systemText === null) throw new Error(`no ${systemConf}`);
  const system = parseSystemConf(systemText, systemConf, TONE_ZONES);
  const chan = chanDahdi === undefined ? null : parseChanDahdi(buildSections((await loadAsteriskConf(chanDahdi, readFile)).lines));
  const byNumber = new Map((chan?.channels ?? []).map((c) => [c.channel, c]));
  const spans = new Map(system.spans.map((s) => [s.span, { framing: s.framing, coding: s.coding, crc4: s.crc4, timing: s.timing, lbo: s.lbo }]));
  const channels = new Map(system.channels.map((c): [number, ChannelFacts] => {
    const settings = byNumber.get(c.channel)?.settings;
    return [c.channel, {
      kind: c.kind,
      signalling: settings?.get('signalling')?.value.toLowerCase() ?? null,
      groups: settings ? groupSet(settings.get('group')?.value) : [],
      context: settings ? (settings.get('context')?.value || 'default') : null,
    }];
  }));
  return { spans, channels };
}
