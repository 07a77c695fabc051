import assert from 'node:assert/strict';
import { analogPorts, channelUsage } from '../../src/diagnostics/scan';
import { SIGTYPES } from '../../src/hardware/dahdi-constants';
import type { ChannelStatus } from '../../src/hardware/types';

function channel(channel: number, sigtype: number, extra: Partial<ChannelStatus> = {}): ChannelStatus {
  return { channel, span: 1, position: channel, name: `DAHDI/${channel}`, sigtype, sigtypeName: '', sigcap: 0, hook: null, rxBits: null, txBits: null, chanAlarms: 0, inUse: false, ...extra };
}

describe('scan summaries', () => {
  it('counts an E1 PRI span: 30 B-channels, one D-channel, channels in use', () => {
    const channels = Array.from({ length: 31 }, (_, i) => channel(i + 1, i + 1 === 16 ? SIGTYPES.HARDHDLC : SIGTYPES.CLEAR, { inUse: i < 5 }));
    assert.deepEqual(channelUsage(channels), { total: 31, configured: 31, inUse: 5, dChannels: 1, bChannels: 30 });
  });

  it('says in-use is unknown when the driver cannot tell for a channel', () => {
    assert.equal(channelUsage([channel(1, SIGTYPES.CLEAR, { inUse: null })]).inUse, null);
  });

  it('names analog ports by the card label, not by DAHDI signalling', () => {
    const ports = analogPorts([
      channel(1, SIGTYPES.FXOKS, { hook: 'onhook' }),
      channel(2, SIGTYPES.FXSKS, { hook: 'offhook' }),
      channel(3, SIGTYPES.NONE, { sigcap: SIGTYPES.FXSLS | SIGTYPES.FXSKS }),
    ]);
    assert.deepEqual(ports, [
      { channel: 1, kind: 'FXS', hook: 'onhook' },
      { channel: 2, kind: 'FXO', hook: 'offhook' },
      { channel: 3, kind: 'FXO', hook: null },
    ]);
  });
});
