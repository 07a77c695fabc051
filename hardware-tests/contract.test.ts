// The shared hardware contract (test/contract/hardware-contract.ts), the same suite the sim
// passes, run against the real DAHDI driver; the fault is the VM's: destroying loc span 1:1
// takes span 1:0's signal away.

import { createDahdiBackend } from '../src/hardware/dahdi/dahdi-backend';
import { loadBinding } from '../src/hardware/dahdi/native';
import { hardwareContract } from '../test/contract/hardware-contract';
import { locFaults, locPair, requireDahdi } from './env';

describe('real DAHDI driver', function () {
  before(function () {
    requireDahdi();
    locPair();
  });

  const faults = locFaults();
  after(async function () {
    await faults.restore();
  });

  hardwareContract('dahdi (real driver, loc spans)', async () => createDahdiBackend({ binding: loadBinding() }), faults);
});
