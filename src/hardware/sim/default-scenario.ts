// The hardware the sim shows when no scenario is given: a dual-span E1 card on EuroISDN (CPE)
// and a 4-port analog card (2 FXO + 2 FXS) - channels 1-31, 32-62 and 63-66.
// dahdi-config/scenarios/default.yaml spells out the same thing.

import type { CardSpec, DigitalSpanSpec, Scenario } from './scenario-types';

export const DEFAULT_RECOVER_MS = 2500;
export const DEFAULT_SEED = 1;

const euroIsdnCpe = (timing: number): DigitalSpanSpec => ({
  type: 'E1',
  framing: 'ccs',
  coding: 'hdb3',
  crc4: true,
  signalling: 'pri_cpe',
  lbo: 0,
  timing,
  wiredTo: null,
});

export function defaultCards(): CardSpec[] {
  return [
    {
      vendor: 'Digium',
      model: 'TE205P',
      location: '0000:03:00.0',
      driver: 'wct4xxp',
      deviceId: 0,
      spans: [euroIsdnCpe(1), euroIsdnCpe(2)],
      ports: [],
    },
    {
      vendor: 'Digium',
      model: 'TDM410P',
      location: '0000:04:00.0',
      driver: 'wctdm24xxp',
      deviceId: 0,
      spans: [],
      ports: [{ type: 'fxo' }, { type: 'fxo' }, { type: 'fxs' }, { type: 'fxs' }],
    },
  ];
}

export function defaultScenario(): Scenario {
  return {
    seed: DEFAULT_SEED,
    recoverMs: DEFAULT_RECOVER_MS,
    cards: defaultCards(),
    faults: { scripted: [], random: null },
    activity: { hookRatePerMinute: 0, abcdRatePerMinute: 0 },
  };
}
