// Whether assigned-spans.conf and span-types.conf take effect on this box. dahdi-tools' udev hook
// (dahdi_handle_device) runs dahdi_span_types and dahdi_span_assignments, which read them, only
// when the dahdi module leaves span assignment to user space: module option auto_assign_spans=0.
// With 1 the kernel assigns every span itself, in the order the cards are probed, and both files
// are ignored. The site's modprobe file sets 0 from the next driver load - but only where that
// hook is installed: without it no one would assign the spans and DAHDI would come up with none,
// so apply holds the file back there. The option and the hook are read at the edge; what they
// mean is decided here.

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TARGETS } from '../generate';
import { MODPROBE_LINE } from '../generate/span-assignments';
import type { PlannedFile } from './apply';
import type { FileOps } from './file-ops';
import { onDisk } from './paths';

export interface SpanAssignment {
  /** files: the files pin the spans; kernel: probe order does; unknown: DAHDI is not loaded here. */
  mode: 'files' | 'kernel' | 'unknown';
  /** The option's value as the module reports it, or null. */
  autoAssignSpans: number | null;
  /** Whether this apply installed the site's modprobe option or held it back (no hotplug hook). */
  modprobe: ModprobeState;
  /** Other modprobe files whose auto_assign_spans wins over ours. */
  overrides: ModprobeOverride[];
  message: string;
}

/** Where the site's modprobe option stands after this apply. */
export type ModprobeState = 'installed' | 'held';

/** Another modprobe file setting the option, read after ours: its value wins at the next load. */
export interface ModprobeOverride {
  file: string;
  value: number;
}

/** Where modprobe reads its configuration (kmod), every file in file-name order across them. */
export const MODPROBE_DIRS = ['/etc/modprobe.d', '/run/modprobe.d', '/usr/local/lib/modprobe.d', '/lib/modprobe.d', '/usr/lib/modprobe.d'] as const;

/** The hook dahdi-tools installs for udev and the part of it that reads assigned-spans.conf. */
export const HOTPLUG_HOOK = ['/usr/share/dahdi/dahdi_handle_device', '/usr/share/dahdi/handle_device.d/20-span-assignments'] as const;

/** Where the running module shows the option, under a sysfs root. */
export function autoAssignPath(sysRoot: string): string {
  return join(sysRoot, 'module', 'dahdi', 'parameters', 'auto_assign_spans');
}

const HELD = `tdmgate did not write ${TARGETS.modprobe}: dahdi-tools' hotplug hook (${HOTPLUG_HOOK.join(', ')}) is not installed, ` +
  'and without it auto_assign_spans=0 would leave every span unassigned. Install dahdi-tools with its udev rules and hotplug scripts, then apply again';

/** What the option's text (null: no such file, DAHDI not loaded) means for the pin files. */
export function spanAssignment(text: string | null, modprobe: ModprobeState = 'installed', overrides: readonly ModprobeOverride[] = []): SpanAssignment {
  const base = current(text, modprobe);
  // A file held back has nothing to override.
  if (overrides.length === 0 || modprobe === 'held') return { ...base, overrides: [] };
  const named = overrides.map((o) => `${o.file} sets auto_assign_spans=${o.value}`).join(', ');
  return {
    ...base,
    overrides: [...overrides],
    message: `${base.message}. But ${named}, read after ${TARGETS.modprobe}, so from the next driver load its value wins: remove that setting`,
  };
}

function current(text: string | null, modprobe: ModprobeState): Omit<SpanAssignment, 'overrides'> {
  const value = text === null ? Number.NaN : Number.parseInt(text.trim(), 10);
  if (value === 0) {
    return {
      mode: 'files',
      autoAssignSpans: 0,
      modprobe,
      message: 'the dahdi module leaves span assignment to assigned-spans.conf (auto_assign_spans=0): the new pins apply when the cards next ' +
        'register (driver reload or boot), or at once, dropping calls, with dahdi_span_assignments remove, dahdi_span_types set, dahdi_span_assignments add',
    };
  }
  if (Number.isInteger(value)) {
    const next = modprobe === 'installed'
      ? `${TARGETS.modprobe} ("${MODPROBE_LINE}") makes them take effect from the next driver load (reload the dahdi modules or reboot, ` +
        'in a quiet hour: every call drops)'
      : HELD;
    return {
      mode: 'kernel',
      autoAssignSpans: value,
      modprobe,
      message: `the running dahdi module assigns spans itself (auto_assign_spans=${value}): assigned-spans.conf and span-types.conf are ignored and ` +
        `spans are numbered in the order the cards are probed. ${next}`,
    };
  }
  return {
    mode: 'unknown',
    autoAssignSpans: null,
    modprobe,
    message: 'DAHDI is not loaded here: assigned-spans.conf and span-types.conf take effect only where the dahdi module has auto_assign_spans=0' +
      (modprobe === 'installed' ? `, which ${TARGETS.modprobe} sets when the module loads` : `. ${HELD}`),
  };
}

/** Reads the running module's option; a missing file means DAHDI is not loaded. */
export async function readSpanAssignment(sysRoot: string, modprobe: ModprobeState = 'installed', overrides: readonly ModprobeOverride[] = []): Promise<SpanAssignment> {
  let text: string | null = null;
  try {
    text = await readFile(autoAssignPath(sysRoot), 'utf8');
  } catch {
    // No such parameter: DAHDI is not loaded here.
  }
  return spanAssignment(text, modprobe, overrides);
}

/** The values `options dahdi ... auto_assign_spans=N` lines of a modprobe file set, in order. */
export function autoAssignSettings(text: string): number[] {
  return text.split('\n').flatMap((line) => {
    const m = /^\s*options\s+dahdi\s+(.*)$/.exec(line.replace(/#.*$/, ''));
    return m ? [...(m[1] ?? '').matchAll(/(?:^|\s)auto_assign_spans=(\d+)/g)].map((x) => Number(x[1])) : [];
  });
}

/**
 * Other files that set auto_assign_spans to something else and sort after ours: modprobe joins a
 * module's options from every file in file-name order and the last value wins (a common
 * /etc/modprobe.d/dahdi.conf sorts after dahdi-tdmgate.conf). A file in /etc hides one of the
 * same name in the other directories.
 */
export async function modprobeOverrides(ops: FileOps, root: string): Promise<ModprobeOverride[]> {
  const ours = basename(TARGETS.modprobe);
  const seen = new Set<string>([ours]);
  const found: ModprobeOverride[] = [];
  for (const dir of MODPROBE_DIRS) {
    for (const name of (await ops.list(onDisk(root, dir))).sort()) {
      if (!name.endsWith('.conf') || seen.has(name)) continue;
      seen.add(name);
      const last = autoAssignSettings((await ops.readText(onDisk(root, `${dir}/${name}`))) ?? '').at(-1);
      if (last !== undefined && last !== 0 && name > ours) found.push({ file: `${dir}/${name}`, value: last });
    }
  }
  return found.sort((a, b) => basename(a.file).localeCompare(basename(b.file)));
}

/**
 * The files apply may install under `root`: the modprobe option only where dahdi-tools' hotplug
 * hook is there to act on it (diff and apply agree, so diff does not report a file apply never writes).
 */
export async function installable(ops: FileOps, root: string, files: readonly PlannedFile[]): Promise<{ files: PlannedFile[]; modprobe: ModprobeState }> {
  if (!files.some((f) => f.target === TARGETS.modprobe)) return { files: [...files], modprobe: 'installed' };
  const present = await Promise.all(HOTPLUG_HOOK.map(async (hook) => (await ops.meta(onDisk(root, hook))) !== null));
  if (present.every(Boolean)) return { files: [...files], modprobe: 'installed' };
  return { files: files.filter((f) => f.target !== TARGETS.modprobe), modprobe: 'held' };
}
