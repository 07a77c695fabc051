// Reader of DAHDI's sysfs buses (dahdi-sysfs.c, dahdi-sysfs-chan.c): span attributes under
// /sys/bus/dahdi_spans/devices/span-N, device attributes under /sys/bus/dahdi_devices/devices/*,
// and per-channel in_use under /sys/bus/dahdi_channels/devices/*. The root and the fs are
// injected so tests read fake trees; missing attributes read as null, never as a made-up value.

import * as nodeFs from 'node:fs/promises';
import * as path from 'node:path';

/** The part of node:fs/promises the readers use; tests may pass a fake. */
export interface SysFs {
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  readdir(dir: string): Promise<string[]>;
  readlink(link: string): Promise<string>;
  realpath(file: string): Promise<string>;
}

export const defaultSysFs: SysFs = nodeFs;

export interface SysSpan {
  span: number;
  name: string | null;
  description: string | null;
  alarms: number | null;
  /** e.g. "E1", "T1", "FXS", "DYNAMIC" (dahdi_spantype2str). */
  spanType: string | null;
  localSpan: number | null;
  isDigital: boolean | null;
  isSyncMaster: boolean | null;
  /** First channel number; the kernel answers ENODEV for a span without channels. */
  baseChannel: number | null;
  channels: number | null;
  lineConfig: string | null;
  syncSource: number | null;
  lbo: number | null;
}

export interface SysDevice {
  /** Directory name on the dahdi_devices bus, e.g. "pci:0000:03:00.0" or "dynamic:loc:0". */
  id: string;
  manufacturer: string | null;
  type: string | null;
  spanCount: number | null;
  hardwareId: string | null;
  location: string | null;
  registrationTime: string | null;
  /** Span type per local span number ("1:E1" lines). */
  spanTypes: { localSpan: number; type: string }[];
}

const SPANS_BUS = 'bus/dahdi_spans/devices';
const DEVICES_BUS = 'bus/dahdi_devices/devices';
const CHANNELS_BUS = 'bus/dahdi_channels/devices';

function isMissing(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  // ENODEV: basechan of a span with no channels; EINVAL/EIO: drivers refusing a read.
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENODEV' || code === 'EINVAL' || code === 'EIO';
}

/** One attribute's text without the trailing newline, or null when the file is absent. */
export async function readAttr(fs: SysFs, file: string): Promise<string | null> {
  try {
    return (await fs.readFile(file, 'utf8')).replace(/\n$/, '');
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/** The first attribute of `names` that exists: drivers renamed some attributes over releases. */
export async function readFirstAttr(fs: SysFs, dir: string, names: readonly string[]): Promise<string | null> {
  for (const name of names) {
    const value = await readAttr(fs, path.join(dir, name));
    if (value !== null) return value;
  }
  return null;
}

/** Integer attribute, decimal or 0x-hex ("alarms" is printed as 0x%x). */
export function parseIntAttr(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|-?\d+)$/i.test(t)) return null;
  return Number.parseInt(t, t.toLowerCase().startsWith('0x') ? 16 : 10);
}

function parseBoolAttr(text: string | null): boolean | null {
  const n = parseIntAttr(text);
  return n === null ? null : n !== 0;
}

/** The device `spantype` attribute: one "local:TYPE" line per span. */
export function parseDeviceSpanTypes(text: string | null): { localSpan: number; type: string }[] {
  if (text === null) return [];
  return text
    .split('\n')
    .map((line) => /^(\d+):(\S+)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ localSpan: Number(m[1]), type: m[2] ?? '' }));
}

async function listDir(fs: SysFs, dir: string): Promise<string[] | null> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/** Span numbers present on the dahdi_spans bus, ascending; null when the bus does not exist. */
export async function listSysSpans(sysRoot: string, fs: SysFs = defaultSysFs): Promise<number[] | null> {
  const entries = await listDir(fs, path.join(sysRoot, SPANS_BUS));
  if (entries === null) return null;
  return entries
    .map((e) => /^span-(\d+)$/.exec(e))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function spanDir(sysRoot: string, span: number): string {
  return path.join(sysRoot, SPANS_BUS, `span-${span}`);
}

/** All attributes of span-N; null when the span is not on the bus. */
export async function readSysSpan(sysRoot: string, span: number, fs: SysFs = defaultSysFs): Promise<SysSpan | null> {
  const dir = spanDir(sysRoot, span);
  const attr = (name: string): Promise<string | null> => readAttr(fs, path.join(dir, name));
  const name = await attr('name');
  if (name === null && (await listDir(fs, dir)) === null) return null;
  return {
    span,
    name,
    description: await attr('desc'),
    alarms: parseIntAttr(await attr('alarms')),
    spanType: await attr('spantype'),
    localSpan: parseIntAttr(await attr('local_spanno')),
    isDigital: parseBoolAttr(await attr('is_digital')),
    isSyncMaster: parseBoolAttr(await attr('is_sync_master')),
    baseChannel: parseIntAttr(await attr('basechan')),
    channels: parseIntAttr(await attr('channels')),
    lineConfig: await attr('lineconfig'),
    syncSource: parseIntAttr(await attr('syncsrc')),
    lbo: parseIntAttr(await attr('lbo')),
  };
}

/**
 * Devices on the dahdi_devices bus. dahdi-linux releases up to 3.4.0 built on kernels >= 4.13
 * name two attributes `dahdi_spantype` and `dahdi_registration_time`; later ones drop the
 * prefix. Both are accepted.
 */
export async function readSysDevices(sysRoot: string, fs: SysFs = defaultSysFs): Promise<SysDevice[]> {
  const root = path.join(sysRoot, DEVICES_BUS);
  const entries = (await listDir(fs, root)) ?? [];
  const devices: SysDevice[] = [];
  for (const id of [...entries].sort()) {
    const dir = path.join(root, id);
    const attr = (name: string): Promise<string | null> => readAttr(fs, path.join(dir, name));
    devices.push({
      id,
      manufacturer: await attr('manufacturer'),
      type: await attr('type'),
      spanCount: parseIntAttr(await attr('span_count')),
      hardwareId: await attr('hardware_id'),
      location: await attr('location'),
      registrationTime: await readFirstAttr(fs, dir, ['registration_time', 'dahdi_registration_time']),
      spanTypes: parseDeviceSpanTypes(await readFirstAttr(fs, dir, ['spantype', 'dahdi_spantype'])),
    });
  }
  return devices;
}

// Channel device names: "dahdi!channels!<span>!<pos>" (dahdi-linux 3.x), "dahdi!chan!001!001"
// (2.11, zero-padded). Either way the span number is the second field.
const CHANNEL_DEVICE_RE = /^dahdi!chan(?:nels)?!0*(\d+)!0*\d+$/;

/**
 * Channel number -> held open (DAHDI_FLAGBIT_OPEN), from the dahdi_channels devices that have
 * both `channo` and `in_use`; only the given span's devices when `span` is set, so a 16-E1 box
 * does not read 500 channels to list 31. Empty when the bus or the attributes are absent.
 */
export async function readChannelsInUse(sysRoot: string, fs: SysFs = defaultSysFs, span?: number): Promise<Map<number, boolean>> {
  const root = path.join(sysRoot, CHANNELS_BUS);
  const result = new Map<number, boolean>();
  for (const entry of (await listDir(fs, root)) ?? []) {
    const m = CHANNEL_DEVICE_RE.exec(entry);
    if (span !== undefined && m !== null && Number(m[1]) !== span) continue;
    const dir = path.join(root, entry);
    const channo = parseIntAttr(await readAttr(fs, path.join(dir, 'channo')));
    const inUse = parseBoolAttr(await readAttr(fs, path.join(dir, 'in_use')));
    if (channo !== null && inUse !== null) result.set(channo, inUse);
  }
  return result;
}
