// The channel state table: the built-in one passes its start-up check, broken ones are refused
// with every problem named, and the map refuses to be created on a broken table.

import assert from 'node:assert/strict';
import { createSimBackend, ManualClock } from '../../../src/hardware/sim';
import {
  CHANNEL_STATES, checkTransitionTable, isTrunkMapError, TrunkMap, TRANSITIONS, type Transition,
} from '../../../src/supervisor/trunk-map';
import { E1_PRI_SITE, site } from './trunk-helpers';

function refused(table: readonly Transition[], pattern: RegExp): void {
  assert.throws(() => checkTransitionTable(table), (err: unknown) => {
    assert.ok(isTrunkMapError(err, 'BAD_TRANSITION_TABLE'), String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

describe('trunk map: channel state table', () => {
  it('accepts the built-in table and reaches every state from idle', () => {
    const index = checkTransitionTable(TRANSITIONS);
    const targets = new Set(TRANSITIONS.map((t) => t.to));
    for (const s of CHANNEL_STATES) assert.ok(targets.has(s) || s === 'idle', s);
    assert.equal(index.get('in-call/alarm'), 'blocked-alarm');
    assert.equal(index.get('maintenance/alarm'), 'blocked-alarm');
  });

  it('refuses an unknown event name', () => {
    refused([...TRANSITIONS, { from: 'idle', event: 'ring' as never, to: 'ringing' }], /unknown event "ring"/);
  });

  it('refuses an unknown state name', () => {
    refused([...TRANSITIONS, { from: 'idle', event: 'answer', to: 'talking' as never }], /unknown state "talking" in to/);
  });

  it('refuses a state nothing reaches', () => {
    refused(TRANSITIONS.filter((t) => t.to !== 'maintenance'), /state "maintenance" cannot be reached/);
  });

  it('refuses a (from, event) pair given twice', () => {
    refused([...TRANSITIONS, { from: 'idle', event: 'offer', to: 'in-call' }], /idle --offer--> given twice/);
  });

  it('TrunkMap.create refuses a bad table before anything runs', () => {
    const sim = createSimBackend({ clock: new ManualClock() });
    assert.throws(
      () => TrunkMap.create({ site: site(E1_PRI_SITE), backend: sim, transitions: TRANSITIONS.filter((t) => t.to !== 'in-call') }),
      (err: unknown) => isTrunkMapError(err, 'BAD_TRANSITION_TABLE'),
    );
    return sim.close();
  });
});
