import { strict as assert } from 'node:assert';
import { driverFromSpanName, driverOfSpan } from '../../src/hardware/dahdi/driver-of-span';
import { listSysSpans, parseDeviceSpanTypes, parseIntAttr, readChannelsInUse, readSysDevices, readSysSpan } from '../../src/hardware/dahdi/sysfs-reader';
import { fixture } from './fixtures';

const SYS = fixture('sys');
const SYS_VM = fixture('sys-vm');

describe('sysfs-reader: /sys/bus/dahdi_*', () => {
  it('lists spans on the dahdi_spans bus in order, null without the bus', async () => {
    assert.deepEqual(await listSysSpans(SYS), [1, 2, 3, 4]);
    assert.equal(await listSysSpans(fixture('no-such-sys')), null);
  });

  it('reads span attributes, alarms as hex', async () => {
    const span = await readSysSpan(SYS, 2);
    assert.deepEqual(span, {
      span: 2,
      name: 'TE2/0/2',
      description: 'T2XXP (PCI) Card 0 Span 2',
      alarms: 8,
      spanType: 'E1',
      localSpan: 2,
      isDigital: true,
      isSyncMaster: false,
      baseChannel: 32,
      channels: 31,
      lineConfig: 'HDB3/CCS/CRC4',
      syncSource: 1,
      lbo: 0,
    });
    assert.equal(await readSysSpan(SYS, 9), null);
  });

  it('reads devices with the current attribute names', async () => {
    const devices = await readSysDevices(SYS);
    assert.deepEqual(
      devices.map((d) => d.id),
      ['pci:0000:03:00.0', 'pci:0000:05:00.0', 'wanpipe1'],
    );
    const te = devices[0];
    assert.equal(te?.registrationTime, '0000001234.567890123');
    assert.deepEqual(te?.spanTypes, [
      { localSpan: 1, type: 'E1' },
      { localSpan: 2, type: 'E1' },
    ]);
    assert.equal(te?.spanCount, 2);
  });

  it('reads devices with the dahdi_-prefixed names of DAHDI <= 3.4.0 on kernels >= 4.13', async () => {
    const devices = await readSysDevices(SYS_VM);
    assert.deepEqual(
      devices.map((d) => [d.id, d.registrationTime, d.spanTypes]),
      [
        ['dynamic:loc:0', '0000000001.141592653', [{ localSpan: 1, type: 'DYNAMIC' }]],
        ['dynamic:loc:1', '0000000002.141592653', [{ localSpan: 1, type: 'DYNAMIC' }]],
      ],
    );
  });

  it('maps channel numbers to in_use', async () => {
    const inUse = await readChannelsInUse(SYS);
    assert.equal(inUse.get(94), true);
    assert.equal(inUse.get(95), false);
    assert.equal(inUse.get(16), true);
    assert.equal(inUse.get(17), false);
    assert.equal(inUse.has(63), false);
  });

  it("reads only one span's channel devices when asked, in both naming schemes", async () => {
    assert.deepEqual([...(await readChannelsInUse(SYS, undefined, 4))], [
      [94, true],
      [95, false],
      [96, true],
      [97, false],
    ]);
    const vm = await readChannelsInUse(SYS_VM, undefined, 2);
    assert.equal(vm.size, 31, 'DAHDI 2.11 names them dahdi!chan!002!001 ...');
    assert.equal(vm.get(32), false);
    assert.equal(vm.has(1), false);
  });

  it('parses attribute text', () => {
    assert.equal(parseIntAttr('0x1c'), 28);
    assert.equal(parseIntAttr('31'), 31);
    assert.equal(parseIntAttr(''), null);
    assert.equal(parseIntAttr(null), null);
    assert.deepEqual(parseDeviceSpanTypes('1:E1\n2:T1\n'), [
      { localSpan: 1, type: 'E1' },
      { localSpan: 2, type: 'T1' },
    ]);
  });
});

describe('driver-of-span', () => {
  it('follows span-N/ddev to the PCI function and its driver link', async () => {
    assert.equal(await driverOfSpan(SYS, 1, 'TE2/0/1'), 'wct4xxp');
    assert.equal(await driverOfSpan(SYS, 4, 'WCTDM/0'), 'wctdm24xxp');
  });

  it('falls back to the span name when no driver link exists', async () => {
    assert.equal(await driverOfSpan(SYS, 3, 'WPE1/0'), 'wanpipe');
    assert.equal(await driverOfSpan(SYS_VM, 1, 'DYN/loc/1:0'), 'dahdi_dynamic_loc');
    assert.equal(await driverOfSpan(SYS_VM, 1, 'MYSTERY/0'), 'unknown');
  });

  it('knows the span name prefixes the drivers write', () => {
    const cases: [string, string | null][] = [
      ['TE4/0/1', 'wct4xxp'],
      ['TE8/1/8', 'wct4xxp'],
      ['WCT13x/0', 'wcte13xp'],
      ['WCT1/0', 'wcte12xp'],
      ['WCTDM/2', 'wctdm24xxp'],
      ['B4/0/1', 'wcb4xxp'],
      ['OPVXA1200/0', 'opvxa1200'],
      ['WPT1/3', 'wanpipe'],
      ['WRTDM/0', 'wanpipe'],
      ['DYN/eth/eth0/00:11:22:33:44:55/0', 'dahdi_dynamic_eth'],
      ['XBUS-00/XPD-00', 'xpp'],
      ['whatever', null],
    ];
    for (const [name, driver] of cases) assert.equal(driverFromSpanName(name), driver, name);
  });
});
