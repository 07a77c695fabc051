// Hardware pins on import: assigned-spans.conf and span-types.conf read as dahdi_span_assignments
// and dahdi_span_types read them, turned into the cards' pins and ports, J1 told from T1, and
// the notes when the files are missing or say what the site cannot hold.

import assert from 'node:assert/strict';
import { isProvisioningError } from '../../src/provisioning/errors';
import { importSite } from '../../src/provisioning/import/import';
import { globMatch, parseAssignedSpans, parseSpanTypes, spanTypeFor } from '../../src/provisioning/import/span-assignments-parser';
import { memoryReader } from './import-helpers';

const T1_SYSTEM = 'span=1,1,0,esf,b8zs\nbchan=1-23\nhardhdlc=24\nspan=2,0,0,esf,b8zs\nbchan=25-47\nhardhdlc=48\nloadzone=jp\ndefaultzone=jp\n';
const ANALOG_SYSTEM = `${T1_SYSTEM}fxsks=49-52\n`;

function run(files: Record<string, string>, options: { assignedSpans?: string; spanTypes?: string } = {}): ReturnType<typeof importSite> {
  return importSite({ systemConf: '/etc/dahdi/system.conf', ...options, readFile: memoryReader(new Map(Object.entries(files))) });
}

describe('provision import: assigned-spans.conf and span-types.conf', () => {
  it('reads comments anywhere, tabs, and several span specs on one device line', () => {
    const a = parseAssignedSpans('# header\n\n@pci0000:00/0000:05:08.0\t1:1:1  2:2:32 # two ports\nusb:X1 1:3:63\n', 'a.conf');
    assert.deepEqual(a.map((x) => [x.key, x.localSpan, x.span, x.baseChannel, x.at.line]), [
      ['@pci0000:00/0000:05:08.0', 1, 1, 1, 3], ['@pci0000:00/0000:05:08.0', 2, 2, 32, 3], ['usb:X1', 1, 3, 63, 4],
    ]);
  });

  it('refuses what the kernel would refuse, with file:line', () => {
    const refuses = (text: string, reason: RegExp): void => assert.throws(() => parseAssignedSpans(text, 'a.conf'),
      (err: unknown) => isProvisioningError(err, 'IMPORT_INVALID') && reason.test(err.message) && err.message.startsWith('a.conf:'));
    refuses('usb:X1\n', /a\.conf:1: 'usb:X1' has no <local span>/);
    refuses('usb:X1 1:1\n', /'1:1' is not <local span>:<span>:<first channel>/);
    refuses('usb:X1 1:0:1\n', /spans up to 128/);
    refuses('usb:X1 1:1:1\nusb:X2 1:1:32\n', /a\.conf:2: span 1 is assigned twice \(first at line 1\)/);
    assert.throws(() => parseSpanTypes('usb:X1 1:E3\n', 's.conf'), /s\.conf:1: '1:E3' is not <local span>:E1\|T1\|J1/);
    assert.throws(() => parseSpanTypes('usb:X1 1:E1 2:T1\n', 's.conf'), /one span spec per line/);
  });

  it('span-types: globs on device and span, the last matching line wins', () => {
    const rules = parseSpanTypes('*  *:T1   # all\nusb:X1 [34]:E1\nusb:X? 4:J1\n', 's.conf');
    assert.deepEqual([1, 2, 3, 4].map((n) => spanTypeFor(rules, 'usb:X1', n)?.type), ['T1', 'T1', 'E1', 'J1']);
    assert.equal(spanTypeFor(rules, null, 3)?.type, 'T1');
    assert.ok(globMatch('@pci*:05:08.0', '@pci0000:00/0000:05:08.0') && !globMatch('usb:[!X]1', 'usb:X1'));
  });

  it('pins cards by hardware id or @location, ports from the local span, no placeholder note', async () => {
    const { site, notes } = await run({
      '/etc/dahdi/system.conf': ANALOG_SYSTEM,
      '/etc/dahdi/assigned-spans.conf': 'usb:LAB-1 2:1:1 1:2:25\n@pci0000:00/0000:06:00.0 1:3:49\n',
    });
    assert.deepEqual(site.cards.map((c) => [c.pin, c.spans.map((s) => s.port)]), [
      [{ kind: 'hardwareId', hardwareId: 'usb:LAB-1' }, [1, 2]],
      [{ kind: 'location', location: 'pci0000:00/0000:06:00.0' }, []],
    ]);
    assert.ok(!notes.some((n) => /placeholder/.test(n.message)), JSON.stringify(notes));
    // The site numbers a card's spans in port order, as DAHDI registers them: a crossed assignment moves, named.
    assert.deepEqual(site.cards[0]?.spans.map((s) => [s.port, s.span, s.baseChannel]), [[1, 1, 1], [2, 2, 25]]);
    assert.ok(notes.some((n) => /span 1 \(channels from 1\) becomes span 2 \(channels from 25\)/.test(n.message)), JSON.stringify(notes));
  });

  it('takes J1 from span-types.conf where system.conf reads as T1; reports a type system.conf contradicts', async () => {
    const { site, notes } = await run({
      '/etc/dahdi/system.conf': T1_SYSTEM,
      '/etc/dahdi/assigned-spans.conf': 'usb:LAB-1 1:1:1 2:2:25\n',
      '/etc/dahdi/span-types.conf': '* *:J1\nusb:LAB-1 2:E1\n',
    });
    assert.deepEqual(site.cards[0]?.spans.map((s) => s.line), ['J1', 'T1']);
    assert.ok(notes.some((n) => n.file === '/etc/dahdi/span-types.conf' && n.line === 2 && /says E1 but system\.conf frames it as T1/.test(n.message)));
  });

  it('without assigned-spans.conf: placeholders and one note saying what to do', async () => {
    const { site, notes } = await run({ '/etc/dahdi/system.conf': T1_SYSTEM });
    assert.equal(site.cards[0]?.pin.kind === 'location' && site.cards[0].pin.location.startsWith('unknown:'), true);
    const n = notes.find((x) => x.message.startsWith('no /etc/dahdi/assigned-spans.conf'));
    assert.ok(n && n.file === '/etc/dahdi/system.conf' && n.line === 1 && /dahdi_span_assignments dumpconfig/.test(n.message));
  });

  it('a named file must exist; a sysfs devpath key and an unused line are notes', async () => {
    await assert.rejects(run({ '/etc/dahdi/system.conf': T1_SYSTEM }, { assignedSpans: '/tmp/none.conf' }), (err: unknown) => isProvisioningError(err, 'IMPORT_UNREADABLE'));
    const { site, notes } = await run({
      '/etc/dahdi/system.conf': T1_SYSTEM,
      '/tmp/a.conf': '/sys/devices/pci0000:00/0000:00:1e.0/0000:05:08.0 1:1:1 2:2:25 3:3:49\n',
    }, { assignedSpans: '/tmp/a.conf' });
    assert.equal(site.cards[0]?.pin.kind === 'location' && site.cards[0].pin.location.startsWith('unknown:'), true);
    assert.ok(notes.some((n) => /pinned by its sysfs path/.test(n.message)));
    // A port of the card that system.conf leaves alone stays the card's unused port, numbers kept.
    assert.deepEqual(site.cards[0]?.unused, [{ port: 3, line: 'T1', span: 3, baseChannel: 49 }]);
    assert.ok(!notes.some((n) => /configures no span 3/.test(n.message)), JSON.stringify(notes));
    const other = await run({ '/etc/dahdi/system.conf': T1_SYSTEM, '/tmp/a.conf': 'usb:LAB-1 1:1:1 2:2:25\nusb:LAB-2 1:3:49\n' }, { assignedSpans: '/tmp/a.conf' });
    assert.ok(other.notes.some((n) => /usb:LAB-2 1:3:49: system\.conf configures no span 3; not carried over/.test(n.message)));
  });
});
