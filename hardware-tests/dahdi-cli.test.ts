// Cross-checks of the test bed itself with the tools technicians use (dahdi_scan, /proc, sysfs):
// if these fail, the other hardware suites would be testing a broken set-up, not tdmgate.

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { IN_VM, locFaults, locPair, parseDahdiScan, requireDahdi, sysSpans, tool, waitFor } from './env';

describe('test bed: the real DAHDI driver with two looped loc spans', function () {
  before(function () {
    requireDahdi();
  });

  it('dahdi_scan lists DYN/loc/1:0 and DYN/loc/1:1, alarm-free, 31 channels each, back to back', function () {
    const scan = parseDahdiScan(tool('dahdi_scan').stdout);
    const { a, b } = locPair();
    const sa = scan.get(a.span);
    const sb = scan.get(b.span);
    assert.ok(sa && sb, `dahdi_scan has no record for span ${a.span} or ${b.span}`);
    assert.equal(sa.name, 'DYN/loc/1:0');
    assert.equal(sb.name, 'DYN/loc/1:1');
    for (const s of [sa, sb]) {
      assert.equal(s.active, 'yes');
      assert.equal(s.alarms, 'OK');
      assert.equal(s.totchans, '31');
      assert.equal(s.type, 'digital-DYNAM');
    }
    assert.equal(Number(sb.basechan), Number(sa.basechan) + 31);
    if (IN_VM) {
      assert.deepEqual([...scan.keys()], [1, 2], 'in the VM the loc spans are the only spans');
      assert.equal(sa.basechan, '1');
      assert.equal(sb.basechan, '32');
    }
  });

  it('sysfs agrees with dahdi_scan', function () {
    const { a, b } = locPair();
    assert.deepEqual([a.alarms, a.channels, b.alarms, b.channels], [0, 31, 0, 31]);
    assert.equal(b.basechan, a.basechan + 31);
    if (IN_VM) assert.deepEqual(sysSpans().map((s) => [s.span, s.basechan]), [[1, 1], [2, 32]]);
  });

  it('/proc/dahdi/N names the span and shows TS16 as the HDLC D-channel', function () {
    const { a } = locPair();
    const path = `/proc/dahdi/${a.span}`;
    assert.ok(existsSync(path), `${path} is missing`);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^Span ${a.span}: DYN/loc/1:0 "Dynamic 'loc' span at '1:0'"`));
    assert.doesNotMatch(lines[0] ?? '', /RED|YELLOW|BLUE/);
    const ts16 = lines.find((l) => new RegExp(`^\\s*${a.basechan + 15} DYN/loc/1:0/16 `).test(l));
    assert.match(ts16 ?? '(no line)', /HDLCFCS/);
  });

  it('taking span 1:1 away puts 1:0 in RED; dahdi_cfg brings 1:1 back and clears it', async function () {
    const faults = locFaults();
    const { a, b } = locPair();
    assert.equal(faults.expectRedSpan, a.span);
    try {
      await faults.takeSpanAway(a.span);
      await waitFor('RED on the peer span', () => {
        const s = sysSpans().find((x) => x.span === faults.expectRedSpan);
        return s && (s.alarms & 0x8) !== 0 ? true : undefined;
      });
      const scan = parseDahdiScan(tool('dahdi_scan').stdout);
      assert.equal(scan.get(faults.expectRedSpan)?.alarms, 'RED');
      assert.equal(scan.has(b.span), false, 'the destroyed span is still listed');
      assert.match(readFileSync(`/proc/dahdi/${faults.expectRedSpan}`, 'utf8').split('\n')[0] ?? '', / RED\b/);
    } finally {
      await faults.restore();
    }
    const scan = parseDahdiScan(tool('dahdi_scan').stdout);
    assert.equal(scan.get(faults.expectRedSpan)?.alarms, 'OK');
    assert.equal(scan.get(b.span)?.alarms, 'OK');
    assert.deepEqual(locPair(), { a, b }, 'same numbers and channels after the restore');
  });
});
