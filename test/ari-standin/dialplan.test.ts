// `continue` runs the stand-in's dialplan as Asterisk's pbx would: the channel goes on in the
// extension's application (ChannelDialplan) until it is hung up, a continue to a context or
// extension that does not exist ends the channel at once (StasisEnd, ChannelDestroyed 0) though
// REST still answers 204, Stasis in the dialplan hands the channel back to an app, and the
// default dialplan of a site plan holds its routing targets.

import assert from 'node:assert/strict';
import { planFromSite } from '../../src/demo/ari-standin';
import { Dialplan } from '../../src/demo/ari-standin/dialplan';
import { parseSite } from '../../src/provisioning/site/load';
import { channelOf, connectClient, startRig, stopRig, trail, waitEvent, waitUntil, type Rig } from './helpers';

const DIALPLAN = {
  'cc-support': [{ exten: '_X.', app: 'Queue', appData: 'support' }],
  'cc-sales': [{ exten: 's', app: 'Queue', appData: 'sales' }],
  'back-to-app': [{ exten: 's', app: 'Stasis', appData: 'tdmgate,again' }],
};

describe('ARI stand-in: dialplan', () => {
  let rig: Rig;
  beforeEach(async () => (rig = await startRig({ dialplan: DIALPLAN })));
  afterEach(async () => stopRig(rig));

  it('continue runs the extension\'s application (ChannelDialplan) and the channel lives on until the caller hangs up', async () => {
    const client = await connectClient(rig, ['tdmgate'], true);
    const placed = rig.standin.placeInboundCall({ did: '6912347', callerId: '0691' });
    await waitEvent(rig, 'StasisStart');
    await client.channels.continueInDialplan({ channelId: placed.id, context: 'cc-support', extension: '6912347', priority: 1 });
    const dp = await waitEvent(rig, 'ChannelDialplan');
    assert.deepEqual([dp.dialplan_app, dp.dialplan_app_data], ['Queue', 'support']);
    assert.deepEqual([channelOf(dp).id, (dp.channel as { dialplan: { context: string; exten: string } }).dialplan.context], [placed.id, 'cc-support']);
    const got = await client.channels.get({ channelId: placed.id });
    assert.deepEqual([got.dialplan.context, got.dialplan.exten, got.dialplan.app_name], ['cc-support', '6912347', 'Queue']);
    rig.standin.remoteHangup(placed.id, 16);
    const destroyed = await waitEvent(rig, 'ChannelDestroyed');
    assert.equal(destroyed.cause, 16);
    assert.deepEqual(trail(rig, placed.id),
      ['ChannelCreated', 'StasisStart', 'StasisEnd', 'ChannelDialplan', 'ChannelHangupRequest', 'ChannelDestroyed']);
  });

  it('continue to a context or extension that does not exist: 204, then StasisEnd and ChannelDestroyed 0 at once', async () => {
    const client = await connectClient(rig);
    for (const to of [{ context: 'cc-nowhere', extension: 's' }, { context: 'cc-sales', extension: '100' }]) {
      const placed = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate' });
      await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === placed.id);
      // Asterisk does not check the target: the answer is 204 either way.
      await client.channels.continueInDialplan({ channelId: placed.id, ...to, priority: 1 });
      const destroyed = await waitEvent(rig, 'ChannelDestroyed', (e) => channelOf(e).id === placed.id);
      assert.deepEqual([destroyed.cause, destroyed.cause_txt], [0, 'Unknown']);
      // The originating app stays subscribed after StasisEnd, so it sees the end.
      assert.deepEqual(trail(rig, placed.id).slice(-2), ['StasisEnd', 'ChannelDestroyed'], to.context);
    }
    assert.equal(rig.standin.channels().length, 0);
    // A context without an extension continues at "s", as Asterisk fills it in.
    const sales = await client.channels.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate' });
    await waitEvent(rig, 'StasisStart', (e) => channelOf(e).id === sales.id);
    await client.channels.continueInDialplan({ channelId: sales.id, context: 'cc-sales' });
    const dp = await waitEvent(rig, 'ChannelDialplan', (e) => channelOf(e).id === sales.id);
    assert.deepEqual([(dp.channel as { dialplan: { exten: string } }).dialplan.exten, dp.dialplan_app_data], ['s', 'sales']);
    await client.channels.hangup({ channelId: sales.id });
  });

  it('an inbound call\'s app sees only StasisEnd after a continue; Stasis in the dialplan hands the channel back', async () => {
    const client = await connectClient(rig);
    const placed = rig.standin.placeInboundCall({ did: '100', callerId: '0692' });
    await waitEvent(rig, 'StasisStart');
    await client.channels.continueInDialplan({ channelId: placed.id, context: 'back-to-app', extension: 's' });
    const again = await waitEvent(rig, 'StasisStart', (e) => (e.args as string[])[0] === 'again');
    assert.equal(channelOf(again).id, placed.id);
    assert.deepEqual(trail(rig, placed.id), ['StasisStart', 'StasisEnd', 'StasisStart']);
    await client.channels.continueInDialplan({ channelId: placed.id, context: 'cc-sales', extension: 's' });
    await waitEvent(rig, 'StasisEnd', (e) => channelOf(e).id === placed.id && rig.events.filter((x) => x.type === 'StasisEnd').length === 2);
    rig.standin.remoteHangup(placed.id);
    await waitUntil(() => rig.standin.channels().length === 0, 'the call ended');
    assert.ok(!rig.events.some((e) => e.type === 'ChannelDestroyed'), 'not subscribed after leaving Stasis');
  });

  it('derives the dialplan from the site: the routing targets\' places exist, `{did}` as any number or s', () => {
    const { site } = parseSite(`site: d
toneZone: de
cards:
  - location: PCI_Bus_03_Slot_00
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, group: 1 }
groups:
  - { number: 1, name: carrier, context: from-carrier }
routing:
  targets:
    - { name: sales, context: cc-sales, extension: s }
    - { name: support, context: cc-support, extension: "{did}" }
  default: sales
`, 'site.yaml');
    const plan = planFromSite(site);
    const dp = new Dialplan(plan.dialplan ?? {});
    assert.deepEqual(dp.lookup('cc-sales', 's'), { app: 'Answer', appData: '' });
    assert.equal(dp.lookup('cc-sales', '100'), null);
    assert.deepEqual(dp.lookup('cc-support', '6912347'), { app: 'Answer', appData: '' });
    assert.deepEqual(dp.lookup('cc-support', 's'), { app: 'Answer', appData: '' });
    // The placeholder itself is no extension: a caller that forgets to fill it in loses the call.
    assert.equal(dp.lookup('cc-support', '{did}'), null);
    assert.equal(dp.lookup('tdmgate-outbound', 's'), null);
  });
});
