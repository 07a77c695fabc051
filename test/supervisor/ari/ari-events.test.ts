// Which events the supervisor reads: the types it ignores are told from the start of the text
// (Asterisk writes `type` first) and never parsed; anything else is parsed and checked in full.

import assert from 'node:assert/strict';
import { ignoredTypeOf, parseEvent } from '../../../src/supervisor/ari/ari-events';

const channel = { id: 'c1', name: 'DAHDI/i1/0691-1', state: 'Ring', caller: { name: '', number: '0691' }, dialplan: { context: 'from-carrier', exten: '100', priority: 1, app_name: '', app_data: '' }, creationtime: '2026-01-01T00:00:00.000+0000' };

describe('ARI events: ignored types skip the parse', () => {
  it('tells an ignored type from the opening of the text, as Asterisk writes it', () => {
    const varset = JSON.stringify({ type: 'ChannelVarset', timestamp: '2026-01-01T00:00:00.000+0000', variable: 'X', value: '{"type":"StasisStart"}', channel });
    assert.equal(ignoredTypeOf(varset), 'ChannelVarset');
    assert.equal(ignoredTypeOf('{\n  "type": "DeviceStateChanged",\n  "device_state": {}\n}'), 'DeviceStateChanged');
    assert.deepEqual(parseEvent(JSON.parse(varset)), { kind: 'ignored', type: 'ChannelVarset' });
  });

  it('leaves every type it acts on, and every text it cannot tell, to the full parse', () => {
    for (const type of ['StasisStart', 'StasisEnd', 'ChannelCreated', 'ChannelStateChange', 'ChannelDialplan', 'ChannelDestroyed', 'ChannelHangupRequest', 'Dial']) {
      assert.equal(ignoredTypeOf(JSON.stringify({ type, channel })), null, type);
    }
    // Another key order, a type that is not a plain name, no JSON at all: parsed, and refused there.
    assert.equal(ignoredTypeOf(JSON.stringify({ timestamp: 'x', type: 'ChannelVarset' })), null);
    assert.equal(ignoredTypeOf('{"type":"Channel\\u0056arset"}'), null);
    assert.equal(ignoredTypeOf('{"type":5}'), null);
    assert.equal(ignoredTypeOf('not json'), null);
    assert.deepEqual(parseEvent(JSON.parse('{"type":5}')), { kind: 'malformed', reason: 'event has no type' });
  });
});
