// `provision import`: reads an existing system.conf (or zaptel.conf) and, when given,
// chan_dahdi.conf (or zapata.conf) with everything it includes, and returns the site they
// describe plus a note for each thing that could not be carried over. The only I/O is the file
// reader, injected so tests and the CLI decide where files come from.

import { readFile as fsReadFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SiteConfig } from '../site/site-types';
import { TONE_ZONES } from '../site/site-types';
import { DEFAULT_LIMITS, loadAsteriskConf, type FileReader, type LoadLimits } from './conf-loader';
import { buildSections } from './conf-sections';
import { parseChanDahdi, type ChanDahdiConf } from './chan-dahdi-parser';
import { importUnreadable, type ImportNote } from './import-notes';
import type { HardwarePins } from './card-layout';
import { applyGeneratedFacts, readGeneratedFacts } from './generated-facts';
import { buildSite } from './site-builder';
import { parseAssignedSpans, parseSpanTypes } from './span-assignments-parser';
import { parseSystemConf } from './system-conf-parser';

export type { FileReader } from './conf-loader';
export type { ImportNote } from './import-notes';

export interface ImportOptions {
  /** /etc/dahdi/system.conf or /etc/zaptel.conf. */
  systemConf: string;
  /** /etc/asterisk/chan_dahdi.conf or /etc/asterisk/zapata.conf; includes are followed. */
  chanDahdi?: string;
  /** /etc/dahdi/assigned-spans.conf; by default the one beside systemConf, when it exists. */
  assignedSpans?: string;
  /** /etc/dahdi/span-types.conf; by default the one beside systemConf, when it exists. */
  spanTypes?: string;
  readFile?: FileReader;
  /** The site's name; defaults to the name tdmgate's generated files carry, else "imported". */
  name?: string;
  limits?: LoadLimits;
}

export interface ImportResult {
  site: SiteConfig;
  notes: ImportNote[];
}

/** Reads a file from disk; null when it does not exist, IMPORT_UNREADABLE for other failures. */
export async function readFileOrNull(path: string): Promise<string | null> {
  try {
    return await fsReadFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw importUnreadable(path, `${code ?? 'error'}: ${(err as Error).message}`);
  }
}

export async function importSite(options: ImportOptions): Promise<ImportResult> {
  const readFile = options.readFile ?? readFileOrNull;
  const systemText = await readFile(options.systemConf);
  if (systemText === null) throw importUnreadable(options.systemConf, 'no such file');
  const system = parseSystemConf(systemText, options.systemConf, TONE_ZONES);
  const chan = options.chanDahdi === undefined ? null : await readChanDahdi(options.chanDahdi, readFile, options.limits ?? DEFAULT_LIMITS);
  const pins = await readPins(options, readFile);
  const built = buildSite(system, chan?.conf ?? null, { name: options.name ?? 'imported', pins: pins.pins });
  const files = [options.systemConf, ...pins.files, ...(chan?.files ?? [])];
  const notes = [...system.notes, ...pins.notes, ...(chan?.notes ?? []), ...built.notes];
  // tdmgate's own files say more in their headers than the configuration does (name, groups, ...).
  const texts = [...(chan?.texts ?? []), { file: options.systemConf, text: systemText }];
  const facts = readGeneratedFacts(texts);
  const site = facts === null ? built.site : applyGeneratedFacts(built.site, facts, options.name, notes);
  return { site, notes: sortNotes(notes, files) };
}

/**
 * assigned-spans.conf and span-types.conf: named ones must exist; the defaults beside system.conf
 * may be missing (a box that never ran dahdi_span_assignments dumpconfig), which is a note.
 */
async function readPins(options: ImportOptions, readFile: FileReader): Promise<{ pins: HardwarePins | null; files: string[]; notes: ImportNote[] }> {
  const beside = (name: string): string => join(dirname(options.systemConf), name);
  const read = async (given: string | undefined, name: string): Promise<{ path: string; text: string | null }> => {
    const path = given ?? beside(name);
    const text = await readFile(path);
    if (text === null && given !== undefined) throw importUnreadable(given, 'no such file');
    return { path, text };
  };
  const assigned = await read(options.assignedSpans, 'assigned-spans.conf');
  const types = await read(options.spanTypes, 'span-types.conf');
  const files = [assigned, types].filter((f) => f.text !== null).map((f) => f.path);
  const parsedTypes = types.text === null ? [] : parseSpanTypes(types.text, types.path);
  if (assigned.text === null) {
    const message = `no ${assigned.path}: nothing says which card is which, so every card is pinned to a placeholder location. ` +
      'Run `dahdi_span_assignments dumpconfig > assigned-spans.conf` on the box and import again with --assigned-spans, ' +
      'or replace each card\'s location with its hardware id or location (dahdi_hardware, /sys/bus/dahdi_devices/devices/*/)';
    return { pins: parsedTypes.length > 0 ? { assignments: [], types: parsedTypes } : null, files, notes: [{ file: options.systemConf, line: 1, message }] };
  }
  return { pins: { assignments: parseAssignedSpans(assigned.text, assigned.path), types: parsedTypes }, files, notes: [] };
}

interface ChanDahdiRead {
  conf: ChanDahdiConf;
  files: string[];
  /** The text of each file read (comments included), for the generated-file facts. */
  texts: Array<{ file: string; text: string }>;
  notes: ImportNote[];
}

async function readChanDahdi(path: string, readFile: FileReader, limits: LoadLimits): Promise<ChanDahdiRead> {
  const texts: Array<{ file: string; text: string }> = [];
  const keeping: FileReader = async (file) => {
    const text = await readFile(file);
    if (text !== null) texts.push({ file, text });
    return text;
  };
  const loaded = await loadAsteriskConf(path, keeping, limits);
  const conf = parseChanDahdi(buildSections(loaded.lines));
  return { conf, files: loaded.files, texts, notes: [...loaded.notes, ...conf.notes] };
}

/** Notes in reading order: by file (as first read), then line; identical notes once. */
function sortNotes(notes: readonly ImportNote[], files: readonly string[]): ImportNote[] {
  const rank = (f: string): number => {
    const i = files.indexOf(f);
    return i < 0 ? files.length : i;
  };
  const seen = new Set<string>();
  return [...notes]
    .sort((a, b) => rank(a.file) - rank(b.file) || a.line - b.line)
    .filter((n) => {
      const key = `${n.file}\0${n.line}\0${n.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
