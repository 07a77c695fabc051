// Shared by the trunk-map tests: site files and matching sim scenarios (E1 PRI + analog, T1 PRI,
// MFC/R2), and a started TrunkMap on a sim backend in virtual time with its events recorded.

import { createSimBackend, defaultScenario, ManualClock, parseScenario, type SimBackend } from '../../../src/hardware/sim';
import { parseSite } from '../../../src/provisioning/site/load';
import type { SiteConfig } from '../../../src/provisioning/site/site-types';
import { TrunkMap, type TrunkMapEvents, type TrunkMapOptions } from '../../../src/supervisor/trunk-map';

/** Two E1 PRI spans (1-31, 32-62) and a 4-port analog card (63-66): the sim's default hardware. */
export const E1_PRI_SITE = `
site: e1-test
toneZone: de
cards:
  - location: PCI_Bus_03_Slot_00
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: pri }
      - { port: 2, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: pri }
  - location: PCI_Bus_04_Slot_00
    portCount: 4
    ports:
      - { port: 1-2, type: fxo, group: lines }
      - { port: 3-4, type: fxs, group: phones }
groups:
  - { number: 1, name: pri, context: from-pri }
  - { number: 2, name: lines, context: from-pstn, hunt: descending }
  - { number: 3, name: phones, context: from-phones }
`;

export const T1_SCENARIO = `
seed: 3
recoverMs: 2500
cards:
  - { vendor: Digium, model: TE205P, location: "0000:02:00.0", driver: wct4xxp, spans: [
      { type: T1, signalling: pri_cpe, framing: esf, coding: b8zs, timing: 1 },
      { type: T1, signalling: pri_cpe, framing: esf, coding: b8zs, timing: 2 } ] }
`;

export const T1_SITE = `
site: t1-test
toneZone: us
cards:
  - location: PCI_Bus_02_Slot_00
    spans:
      - { port: 1, line: T1, signalling: pri_cpe, switchtype: national, group: att }
      - port: 2
        line: T1
        signalling: pri_cpe
        switchtype: national
        channels:
          - { timeslots: 1-12, group: ivr-in }
          - { timeslots: 13-23, group: att }
groups:
  - { number: 1, name: att, context: from-att, hunt: round-robin }
  - { number: 2, name: ivr-in, context: ivr, direction: in }
`;

export const R2_SCENARIO = `
seed: 4
recoverMs: 2500
cards:
  - { vendor: Digium, model: TE205P, location: "0000:05:00.0", driver: wct4xxp, spans: [
      { type: E1, signalling: mfcr2, framing: cas, coding: hdb3, crc4: false, timing: 1 },
      { type: E1, signalling: mfcr2, framing: cas, coding: hdb3, crc4: false, timing: 2 } ] }
`;

export const R2_SITE = `
site: r2-test
toneZone: cn
cards:
  - location: PCI_Bus_05_Slot_00
    spans:
      - { port: 1, line: E1, signalling: mfcr2, framing: cas, crc4: false, mfcr2: { variant: cn }, group: telecom }
      - { port: 2, line: E1, signalling: mfcr2, framing: cas, crc4: false, mfcr2: { variant: cn }, group: telecom }
groups:
  - { number: 1, name: telecom, context: from-telecom, hunt: round-robin-descending }
`;

export function site(yaml: string): SiteConfig {
  return parseSite(yaml, 'site.yaml').site;
}

export interface Rig {
  clock: ManualClock;
  sim: SimBackend;
  map: TrunkMap;
  events: { [K in keyof TrunkMapEvents]: TrunkMapEvents[K][] };
  logs: { level: string; obj: object; msg: string }[];
  /** Advances virtual time by ms and lets promise callbacks run. */
  step(ms: number): Promise<void>;
}

export interface RigOptions extends Partial<Omit<TrunkMapOptions, 'site' | 'backend' | 'clock'>> {
  siteYaml?: string;
  scenarioYaml?: string;
  /** Runs on the sim before the map starts (e.g. take a span away). */
  before?: (sim: SimBackend) => void;
}

/** A started map; the watcher's first poll has run (virtual time advanced by one interval). */
export async function rig(options: RigOptions = {}): Promise<Rig> {
  const clock = new ManualClock();
  const scenario = options.scenarioYaml === undefined ? defaultScenario() : parseScenario(options.scenarioYaml);
  const sim = createSimBackend({ clock, scenario });
  options.before?.(sim);
  const logs: Rig['logs'] = [];
  const logger = {
    info: (obj: object, msg: string) => logs.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => logs.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg: string) => logs.push({ level: 'error', obj, msg }),
  };
  const map = TrunkMap.create({
    intervalMs: 100,
    logger,
    ...pick(options),
    site: site(options.siteYaml ?? E1_PRI_SITE),
    backend: sim,
    clock,
  });
  const events: Rig['events'] = { 'state-changed': [], 'span-out-of-service': [], 'span-in-service': [], 'call-interrupted': [] };
  map.on('state-changed', (e) => events['state-changed'].push(e));
  map.on('span-out-of-service', (e) => events['span-out-of-service'].push(e));
  map.on('span-in-service', (e) => events['span-in-service'].push(e));
  map.on('call-interrupted', (e) => events['call-interrupted'].push(e));
  await map.start();
  await step(clock, 0);
  return { clock, sim, map, events, logs, step: (ms) => step(clock, ms) };
}

/** Advances virtual time and lets promise callbacks (span re-reads) run. */
export async function step(clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export async function close(r: Rig): Promise<void> {
  await r.map.stop();
  await r.sim.close();
}

/** The TrunkMap options among the rig's options. */
function pick(o: RigOptions): Partial<TrunkMapOptions> {
  const out: Partial<TrunkMapOptions> = {};
  if (o.intervalMs !== undefined) out.intervalMs = o.intervalMs;
  if (o.holdDownMs !== undefined) out.holdDownMs = o.holdDownMs;
  if (o.maxHoldDownMs !== undefined) out.maxHoldDownMs = o.maxHoldDownMs;
  if (o.flapWindowMs !== undefined) out.flapWindowMs = o.flapWindowMs;
  if (o.transitions !== undefined) out.transitions = o.transitions;
  return out;
}
