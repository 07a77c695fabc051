// Which trunk channel an Asterisk channel is on: the Stasis argument saves the REST call when it
// fits the span the name gives; a missing or misfit argument falls back to CHANNEL(dahdi_channel).

import assert from 'node:assert/strict';
import type { AriChannel } from '../../src/supervisor/ari/ari-events';
import { resolveTrunkChannel, stasisChannelHint } from '../../src/supervisor/trunk-channel';
import { close, rig, type Rig } from './trunk-map/trunk-helpers';

function channel(name: string, appData: string): AriChannel {
  return {
    id: '1.1', name, state: 'Ring', caller: { name: '', number: '' }, creationtime: '',
    dialplan: { context: 'from-carrier', exten: '100', priority: 1, app_name: appData === '' ? '' : 'Stasis', app_data: appData },
  };
}

describe('trunk channel of an ARI channel', () => {
  let r: Rig;
  const asked: string[] = [];
  const ari = {
    getVariable: (id: string, variable: string): Promise<string> => {
      asked.push(variable);
      return Promise.resolve('3');
    },
  };
  beforeEach(async () => {
    asked.length = 0;
    r = await rig();
  });
  afterEach(() => close(r));

  it('takes the channel from the Stasis argument, from the event or the listing, without asking ARI', async () => {
    const ch = channel('DAHDI/i1/0691234-1', 'tdmgate,5');
    assert.equal(stasisChannelHint(ch), 5);
    assert.equal(stasisChannelHint(ch, ['7']), 7);
    const found = await resolveTrunkChannel(r.map, ari, ch, 5);
    assert.ok(found.ok && found.value.kind === 'channel' && found.value.info.channel === 5);
    assert.deepEqual(asked, []);
  });

  it('asks CHANNEL(dahdi_channel) when the argument is missing or names a channel of another span', async () => {
    assert.equal(stasisChannelHint(channel('DAHDI/i1/0691234-1', 'tdmgate')), null);
    assert.equal(stasisChannelHint(channel('DAHDI/i1/0691234-1', 'tdmgate,outbound')), null);
    const none = await resolveTrunkChannel(r.map, ari, channel('DAHDI/i1/0691234-1', 'tdmgate'), null);
    assert.ok(none.ok && none.value.kind === 'channel' && none.value.info.channel === 3);
    const misfit = await resolveTrunkChannel(r.map, ari, channel('DAHDI/i1/0691234-1', 'tdmgate,40'), 40);
    assert.ok(misfit.ok && misfit.value.kind === 'channel' && misfit.value.info.channel === 3);
    assert.deepEqual(asked, ['CHANNEL(dahdi_channel)', 'CHANNEL(dahdi_channel)']);
  });
});
