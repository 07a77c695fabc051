import { strict as assert } from 'node:assert';
import { buildModalias, detectCards, parseDahdiModules, parseModulesAlias, parseProcModules } from '../../src/hardware/pci/pci-detect';
import { lookupPci } from '../../src/hardware/pci/pci-table';
import { fixture } from './fixtures';

const roots = {
  sysRoot: fixture('sys'),
  procRoot: fixture('proc'),
  modulesDir: fixture('lib', 'modules', '6.1.0-28-amd64'),
};

describe('pci-detect: telephony cards on the PCI bus', () => {
  it('finds the telephony cards and ignores other devices', async () => {
    const cards = await detectCards(roots);
    assert.deepEqual(
      cards.map((c) => [c.location, c.vendor, c.model]),
      [
        ['0000:03:00.0', 'Digium', 'TE220'],
        ['0000:04:00.0', 'Sangoma', 'A108'],
        ['0000:05:00.0', 'Digium', 'TDM410P'],
        ['0000:06:00.0', 'OpenVox', 'D430E'],
        ['0000:07:00.0', 'OpenVox', 'B400P'],
        ['0000:08:00.0', 'OpenVox', 'unknown model'],
        ['0000:09:00.0', 'PCI vendor 10b5', 'unknown model'],
      ],
    );
  });

  it('reports a board the table does not know when a DAHDI driver (per modules.dep) claims it', async () => {
    const board = (await detectCards(roots)).find((c) => c.location === '0000:09:00.0');
    assert.equal(board?.kernelModule, 'ap4xx');
    assert.equal(board?.moduleLoaded, true);
    assert.equal(board?.driverAvailable, true);
    assert.match(board?.notes.join('\n') ?? '', /10b5:9030 subsystem 10b5:2c52 is not in tdmgate's table; the DAHDI driver ap4xx claims it/);
  });

  it('knows which modules build on dahdi.ko, compressed or not, and leaves others out', () => {
    const dep = 'updates/dkms/dahdi.ko: kernel/lib/crc-ccitt.ko\nupdates/dkms/ap4xx.ko.xz: updates/dkms/dahdi.ko\nkernel/drivers/net/e1000e.ko:\n';
    assert.deepEqual([...parseDahdiModules(dep)].sort(), ['ap4xx', 'dahdi']);
  });

  it('reports a bound, loaded driver from the driver/module links', async () => {
    const te = (await detectCards(roots)).find((c) => c.model === 'TE220');
    assert.equal(te?.kernelModule, 'wct4xxp');
    assert.equal(te?.moduleLoaded, true);
    assert.equal(te?.driverAvailable, true);
    assert.equal(te?.ports, 2);
    assert.equal(te?.portKind, 'E1/T1');
  });

  it('asks modules.alias whether an unbound board has a driver (built modalias, no modalias file)', async () => {
    const b400 = (await detectCards(roots)).find((c) => c.model === 'B400P');
    assert.equal(b400?.kernelModule, 'wcb4xxp');
    assert.equal(b400?.driverAvailable, true);
    assert.equal(b400?.moduleLoaded, false);
    assert.equal(b400?.portKind, 'BRI');
  });

  it('reads the Sangoma model from the subsystem id and says when no module claims it', async () => {
    const a108 = (await detectCards(roots)).find((c) => c.vendor === 'Sangoma');
    assert.equal(a108?.subVendorId, 0xa114);
    assert.equal(a108?.ports, 8);
    assert.equal(a108?.driverAvailable, false);
    assert.ok(a108?.notes.some((n) => n.includes('no installed kernel module claims this board')));
  });

  it("warns that OpenVox digital cards need OpenVox's fork even while upstream wct4xxp is loaded", async () => {
    const d430 = (await detectCards(roots)).find((c) => c.model === 'D430E');
    assert.equal(d430?.kernelModule, 'wct4xxp');
    assert.equal(d430?.driverAvailable, false);
    assert.equal(d430?.moduleLoaded, false);
    assert.ok(d430?.notes.some((n) => n.includes("OpenVox's DAHDI fork")));
    assert.ok(d430?.notes.some((n) => n.includes('wct4xxp is loaded but does not claim this board')));
  });

  it('uses /sys/module when /proc/modules is unreadable', async () => {
    const cards = await detectCards({ ...roots, procRoot: fixture('no-such-proc') });
    assert.equal(cards.find((c) => c.model === 'TDM410P')?.moduleLoaded, true);
  });

  it('returns no cards without a PCI bus and says when modules.alias is unreadable', async () => {
    assert.deepEqual(await detectCards({ ...roots, sysRoot: fixture('sys-vm') }), []);
    const cards = await detectCards({ ...roots, modulesDir: fixture('no-such-modules') });
    assert.ok(cards.find((c) => c.model === 'B400P')?.notes.some((n) => n.includes('unreadable')));
  });
});

describe('pci-table and module helpers', () => {
  it('prefers the most specific entry', () => {
    assert.equal(lookupPci({ vendorId: 0x1397, deviceId: 0x08b4, subVendorId: 0x1397, subDeviceId: 0xe888 })?.model, 'B400P');
    assert.equal(lookupPci({ vendorId: 0x1397, deviceId: 0x08b4, subVendorId: 0x1234, subDeviceId: 0x0001 })?.kernelModule, 'qozap');
    assert.equal(lookupPci({ vendorId: 0x1923, deviceId: 0x0400, subVendorId: 0xa117, subDeviceId: 0 })?.model, 'A116');
    assert.equal(lookupPci({ vendorId: 0x8086, deviceId: 0x15bb, subVendorId: 0, subDeviceId: 0 }), null);
  });

  it('builds modaliases and matches modules.alias globs', () => {
    const ids = { vendorId: 0x1397, deviceId: 0x08b4, subVendorId: 0x1397, subDeviceId: 0xe888 };
    const modalias = buildModalias(ids, 0x020400);
    assert.equal(modalias, 'pci:v00001397d000008B4sv00001397sd0000E888bc02sc04i00');
    const aliases = parseModulesAlias('alias pci:v00001397d000008B4sv00001397sd0000E888bc*sc*i* wcb4xxp\nalias usb:v1* x\n');
    assert.equal(aliases.length, 1);
    assert.ok(aliases[0]?.pattern.test(modalias));
    assert.deepEqual([...parseProcModules('dahdi-echocan 1 0 - Live\nwct4xxp 2 0 - Live\n')], ['dahdi_echocan', 'wct4xxp']);
  });
});
