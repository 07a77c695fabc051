// Chooses and opens the hardware backend for a command: the real driver when /dev/dahdi exists,
// the simulator otherwise, and one sentence that tells the technician which and why.

import { existsSync } from 'node:fs';
import type { BackendKind, HardwareBackend } from './types';

export interface OpenBackendOptions {
  backend?: BackendKind;
  /** Scenario file for the sim backend; the built-in two-E1-plus-analog box without one. */
  scenario?: string;
  /** Where DAHDI's device nodes live; tests point it elsewhere. */
  devDir?: string;
}

export interface OpenedBackend {
  backend: HardwareBackend;
  chosen: BackendKind;
  /** One sentence for the technician: why this backend was chosen. */
  reason: string;
}

export const DEFAULT_DEV_DIR = '/dev/dahdi';

/** The pure half of the choice, so the rule is testable without a driver. */
export function chooseBackend(asked: BackendKind | undefined, driverPresent: boolean, devDir: string): { chosen: BackendKind; reason: string } {
  if (asked === 'sim') return { chosen: 'sim', reason: 'simulated cards (--backend sim)' };
  if (asked === 'dahdi') return { chosen: 'dahdi', reason: 'DAHDI driver (--backend dahdi)' };
  return driverPresent
    ? { chosen: 'dahdi', reason: `DAHDI driver (${devDir} exists)` }
    : { chosen: 'sim', reason: `simulated cards (no ${devDir}: DAHDI is not loaded on this machine)` };
}

export async function openBackend(options: OpenBackendOptions = {}): Promise<OpenedBackend> {
  const devDir = options.devDir ?? DEFAULT_DEV_DIR;
  const { chosen, reason } = chooseBackend(options.backend, existsSync(devDir), devDir);
  // Each backend (and the YAML parser) is loaded only when chosen: a CLI run pays for one.
  if (chosen === 'dahdi') {
    const [{ createDahdiBackend }, { loadBinding }] = await Promise.all([import('./dahdi/dahdi-backend.js'), import('./dahdi/native.js')]);
    return { backend: createDahdiBackend({ binding: loadBinding(), devDir }), chosen, reason };
  }
  const { createSimBackend } = await import('./sim/sim-backend.js');
  const scenario = options.scenario === undefined ? undefined : await (await import('./sim/scenario.js')).loadScenario(options.scenario);
  const why = options.scenario === undefined ? reason : `${reason}, scenario ${options.scenario}`;
  return { backend: createSimBackend({ scenario }), chosen, reason: why };
}
