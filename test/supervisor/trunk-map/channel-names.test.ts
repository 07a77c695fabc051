// Asterisk's DAHDI channel names (parsed, formatted, round trips, junk refused with a reason,
// never a throw) and the group dial strings the map writes.

import assert from 'node:assert/strict';
import {
  formatChannelName, formatDialString, formatIsdnChannelName, isTrunkMapError, parseChannelName, type GroupDial,
} from '../../../src/supervisor/trunk-map';

describe('trunk map: channel names', () => {
  it('parses PRI names to the span, with number and hex sequence', () => {
    assert.deepEqual(parseChannelName('DAHDI/i1/5551234-1f'), { ok: true, value: { kind: 'isdn', span: 1, number: '5551234', sequence: 0x1f } });
    // An empty number and a number with a dash (the sequence is after the last dash).
    assert.deepEqual(parseChannelName('DAHDI/i12/-a'), { ok: true, value: { kind: 'isdn', span: 12, number: '', sequence: 10 } });
    assert.deepEqual(parseChannelName('DAHDI/i2/+49-30-1-3'), { ok: true, value: { kind: 'isdn', span: 2, number: '+49-30-1', sequence: 3 } });
  });

  it('parses plain names to the channel and pseudo channels as pseudo', () => {
    assert.deepEqual(parseChannelName('DAHDI/17-1'), { ok: true, value: { kind: 'channel', channel: 17, sequence: 1 } });
    assert.deepEqual(parseChannelName('DAHDI/pseudo-1804289383'), { ok: true, value: { kind: 'pseudo' } });
  });

  it('refuses what is not a DAHDI channel name, with a reason and no throw', () => {
    const junk: unknown[] = [
      'SIP/alice-0001', 'DAHDI/', 'DAHDI/17', 'DAHDI/0-1', 'DAHDI/2000-1', 'DAHDI/i0/555-1', 'DAHDI/i999/5-1',
      'DAHDI/17-1<ZOMBIE>', 'DAHDI/i1/555-xyz', 'DAHDI/abc-1', '', `DAHDI/${'1'.repeat(500)}-1`, null, 17, { name: 'DAHDI/1-1' },
    ];
    for (const name of junk) {
      const r = parseChannelName(name);
      assert.equal(r.ok, false, String(name));
      if (!r.ok) {
        assert.equal(r.error.code, 'BAD_CHANNEL_NAME');
        assert.ok(r.error.message.length > 0);
      }
    }
  });

  it('round-trips names', () => {
    for (const ch of [1, 17, 31, 62, 1024]) {
      const r = parseChannelName(formatChannelName(ch, 3));
      assert.ok(r.ok && r.value.kind === 'channel' && r.value.channel === ch && r.value.sequence === 3);
    }
    const r = parseChannelName(formatIsdnChannelName(4, '0123', 0xbeef));
    assert.deepEqual(r, { ok: true, value: { kind: 'isdn', span: 4, number: '0123', sequence: 0xbeef } });
  });
});

describe('trunk map: dial strings', () => {
  it('writes every group form chan_dahdi takes', () => {
    const cases: [string, GroupDial][] = [
      ['DAHDI/g1/5551234', { group: 1, hunt: 'ascending', span: null }],
      ['DAHDI/G2/5551234', { group: 2, hunt: 'descending', span: null }],
      ['DAHDI/r3/5551234', { group: 3, hunt: 'round-robin', span: null }],
      ['DAHDI/R0/5551234', { group: 0, hunt: 'round-robin-descending', span: null }],
      ['DAHDI/i2-g1/5551234', { group: 1, hunt: 'ascending', span: 2 }],
    ];
    for (const [text, target] of cases) assert.equal(formatDialString(target, '5551234'), text);
  });

  it('refuses a number a trunk cannot dial', () => {
    for (const number of ['555 123', '12ab', '5;rm -rf', '']) {
      assert.throws(() => formatDialString({ group: 1, hunt: 'ascending', span: null }, number), (err: unknown) => isTrunkMapError(err, 'BAD_DIAL_STRING'), number);
    }
  });
});
