// A channel in several trunk groups (chan_dahdi `group=0,11`, as dahdi_genconf and FreePBX write
// it): outbound attempts, capacity and the snapshot consider every group a channel is in.

import assert from 'node:assert/strict';
import { close, rig, type Rig } from './trunk-helpers';

/** The sim's default hardware; both spans in group 0 ("all"), each also in a group of its own. */
const SITE = `
site: multi-group
toneZone: de
cards:
  - location: PCI_Bus_03_Slot_00
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, group: [all, span1] }
      - { port: 2, line: E1, signalling: pri_cpe, group: [0, 12] }
  - location: PCI_Bus_04_Slot_00
    portCount: 4
    ports:
      - { port: 1-4, type: fxo, group: all }
groups:
  - { number: 0, name: all, context: from-pstn }
  - { number: 11, name: span1, context: from-pstn }
  - { number: 12, name: span2, context: from-pstn, hunt: descending }
`;

describe('trunk map: a channel in several groups', () => {
  let r: Rig;
  afterEach(() => close(r));

  it('belongs to each of them: its first group stays `group`, all are in `groups`', async () => {
    r = await rig({ siteYaml: SITE });
    assert.deepEqual([r.map.channel(1).group, r.map.channel(1).groups], [0, [0, 11]]);
    assert.deepEqual([r.map.channel(32).group, r.map.channel(32).groups], [0, [0, 12]]);
    const counts = new Map(r.map.snapshot().groups.map((g) => [g.group, g.counts.idle]));
    assert.deepEqual([...counts], [[0, 64], [11, 30], [12, 30]]);
  });

  it('planAttempts and groupCapacity consider every group a channel is in', async () => {
    r = await rig({ siteYaml: SITE });
    // Group 0 mixes PRI spans and analog ports: chan_dahdi cannot hold it to a span.
    assert.deepEqual(r.map.planAttempts('all', '5551234'), [{ span: null, dial: 'DAHDI/g0/5551234' }]);
    assert.deepEqual(r.map.planAttempts(12, '5551234'), [{ span: 2, dial: 'DAHDI/i2-G12/5551234' }]);
    r.map.claim(1, 'call-1');
    assert.deepEqual([r.map.groupCapacity(0).inUse, r.map.groupCapacity(11).inUse, r.map.groupCapacity(12).inUse], [1, 1, 0]);
    await r.sim.maintenance(1, 'local-loop');
    await r.step(100);
    assert.deepEqual(r.map.planAttempts(11, '1'), []);
    assert.deepEqual(r.map.groupCapacity(11), { group: 11, name: 'span1', free: 0, inUse: 0, blocked: 30 });
    assert.deepEqual(r.map.groupCapacity('all'), { group: 0, name: 'all', free: 34, inUse: 0, blocked: 30 });
  });
});
