// Which error counters each DAHDI span driver actually writes. A counter a driver never touches
// reads 0 forever; reporting it as null ("not reported by this driver") keeps a technician from
// reading a driver's silence as a clean line. Shared by the dahdi backend and the sim.

import { COUNTER_NAMES, type CounterName, type Counters } from './types';

/** Digium framers (and OpenVox's wct4xxp-derived fork) fill the extended SPANSTAT fields. */
const DIGIUM_FRAMER: readonly CounterName[] = ['fe', 'cv', 'crc4', 'ebit', 'be', 'prbs', 'errsec', 'slips', 'irqmisses'];

/**
 * Counters written per driver. No in-tree driver writes bpv or fas (dahdi_tool's "Bipolar Viol"
 * is always 0), so they appear for no real driver. `all` is the sim's idealised driver.
 * Drivers whose sources we have not read closely (wcb4xxp, wctdm24xxp) are listed with the one
 * counter they are known to bump, irqmisses, so that nothing reads as a clean 0 by mistake.
 */
export const COUNTER_SUPPORT: Readonly<Record<string, readonly CounterName[] | 'all'>> = {
  wct4xxp: DIGIUM_FRAMER,
  wcte13xp: DIGIUM_FRAMER,
  wcte43x: DIGIUM_FRAMER,
  opvxd115: DIGIUM_FRAMER,
  wctdm24xxp: ['irqmisses'],
  wcb4xxp: ['irqmisses'],
  // Sangoma keeps its counters in wanpipemon; the DAHDI span fields stay untouched.
  wanpipe: [],
  dahdi_dynamic: [],
  dahdi_dynamic_loc: [],
  dahdi_dynamic_eth: [],
  sim: 'all',
};

/** The counters `driver` reports, or null when the driver is not in the table. */
export function counterSupport(driver: string): readonly CounterName[] | null {
  const entry = COUNTER_SUPPORT[driverFamily(driver)];
  if (entry === undefined) return null;
  return entry === 'all' ? COUNTER_NAMES : entry;
}

/**
 * Raw counter values -> Counters. For a known driver, counters it does not write are null even
 * when the raw read says 0. A counter missing from `raw` is null ("could not be read", e.g. the
 * V1 SPANSTAT has no fe..errsec): callers that parse /proc, which prints only non-zero counters,
 * must pass the zeros they inferred. Unknown drivers: values as given, missing ones null.
 */
export function countersFor(driver: string, raw: Partial<Record<CounterName, number>>): Counters {
  const supported = counterSupport(driver);
  const out = {} as Counters;
  for (const name of COUNTER_NAMES) {
    const value = raw[name];
    const reported = supported === null || supported.includes(name);
    out[name] = reported && value !== undefined ? value : null;
  }
  return out;
}

/** wanpipe registers as wanpipe1..N and the dynamic drivers by their module names. */
function driverFamily(driver: string): string {
  if (/^wanpipe\d*$/.test(driver)) return 'wanpipe';
  return driver;
}
