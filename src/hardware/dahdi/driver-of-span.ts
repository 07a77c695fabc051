// Which kernel driver owns a span. The kernel says it best: span-N's `ddev` link leads to the
// DAHDI device, whose parent (the PCI function for a card) has a `driver` link. When there is no
// such link (dynamic spans, USB, old DAHDI without sysfs) the span name prefix each driver
// writes (sprintf(span.name, ...) in its source) is the fallback.

import * as path from 'node:path';
import { defaultSysFs, spanDir, type SysFs } from './sysfs-reader';

export const UNKNOWN_DRIVER = 'unknown';

// Prefixes checked against the drivers' sources. Some are shared: "WCTDM/" is written by
// wctdm, wctdm24xxp and wcaxx, "WCT1/" by wcte11xp and wcte12xp - the name alone names the
// likeliest one, the sysfs link the right one.
const NAME_PREFIXES: readonly { re: RegExp; driver: (m: RegExpExecArray) => string }[] = [
  { re: /^DYN\/(\w+)\//, driver: (m) => `dahdi_dynamic_${m[1] ?? ''}` },
  { re: /^TE[1248]\/\d+\/\d+$/, driver: () => 'wct4xxp' },
  { re: /^WCT13x\//, driver: () => 'wcte13xp' },
  { re: /^WCT1\//, driver: () => 'wcte12xp' },
  { re: /^WCTDM\//, driver: () => 'wctdm24xxp' },
  { re: /^B4\/\d+\/\d+$/, driver: () => 'wcb4xxp' },
  { re: /^OPVXA1200\//, driver: () => 'opvxa1200' },
  // Sangoma's wanpipe names its DAHDI spans WPT1/WPE1 (T1/E1), WRTDM (analog), WPBRI (BRI).
  { re: /^(WPT1|WPE1|WRTDM|WPBRI)\//, driver: () => 'wanpipe' },
  { re: /^XBUS-\d+/, driver: () => 'xpp' },
];

/** The driver a span name implies, or null when the name matches no known driver. */
export function driverFromSpanName(name: string): string | null {
  for (const { re, driver } of NAME_PREFIXES) {
    const m = re.exec(name);
    if (m) return driver(m);
  }
  return null;
}

/** The driver bound to the hardware under span-N, from sysfs links; null when there is none. */
export async function driverFromSysfs(sysRoot: string, span: number, fs: SysFs = defaultSysFs): Promise<string | null> {
  try {
    const device = await fs.realpath(path.join(spanDir(sysRoot, span), 'ddev'));
    const link = await fs.readlink(path.join(path.dirname(device), 'driver'));
    return path.basename(link);
  } catch {
    // No ddev (DAHDI < 2.6), a device without a bus parent (dynamic spans), or no driver bound.
    return null;
  }
}

export async function driverOfSpan(sysRoot: string, span: number, name: string, fs: SysFs = defaultSysFs): Promise<string> {
  return (await driverFromSysfs(sysRoot, span, fs)) ?? driverFromSpanName(name) ?? UNKNOWN_DRIVER;
}
