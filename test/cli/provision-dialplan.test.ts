// `tdmgate provision apply` with a routing site, as the bundle runs it (fake dahdi_cfg, the sim,
// a --root scratch tree): extensions_tdmgate.conf written beside chan_dahdi.conf, the exact
// #include line printed (exit 1) until extensions.conf pulls it in, and the modprobe option
// written only where dahdi-tools' hotplug hook is installed; diff agrees with apply on that.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './cli-helpers';

const SITE = `site: dialplan-box
toneZone: de
echoCanceller: none
cards:
  - name: dual E1
    location: PCI_Bus_03_Slot_01
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, dchannel: dchan, timing: 1, group: carrier }
      - { port: 2, line: E1, signalling: pri_cpe, dchannel: dchan, timing: 2, group: carrier }
  - name: analog
    location: PCI_Bus_04_Slot_01
    ports:
      - { port: 1-2, type: fxo, group: lines }
      - { port: 3-4, type: fxs, group: phones }
groups:
  - { number: 1, name: carrier, context: from-carrier }
  - { number: 2, name: lines, context: from-lines }
  - { number: 3, name: phones, context: from-phones }
routing:
  targets:
    - { name: desk, context: cc-desk }
  default: desk
`;

describe('cli: provision apply with the generated dialplan', function () {
  this.timeout(60_000);
  let dir: string;
  let root: string;
  let site: string;
  let apply: (...extra: string[]) => ReturnType<typeof runCli>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-provision-dp-'));
    root = join(dir, 'root');
    site = join(dir, 'site.yaml');
    writeFileSync(site, SITE);
    const cfg = join(dir, 'dahdi_cfg');
    writeFileSync(cfg, '#!/bin/sh\nexit 0\n');
    chmodSync(cfg, 0o755);
    apply = (...extra) => runCli(['provision', 'apply', site, '--root', root, '--backend', 'sim', '--dahdi-cfg', cfg, '--timeout', '10', ...extra]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const put = (target: string, content: string): void => {
    mkdirSync(dirname(join(root, target)), { recursive: true });
    writeFileSync(join(root, target), content);
  };

  it('writes the dialplan, prints the #include line until extensions.conf has it (exit 1), then exits 0', () => {
    const first = apply();
    assert.equal(first.code, 1, first.stdout + first.stderr);
    assert.match(readFileSync(join(root, 'etc/asterisk/extensions_tdmgate.conf'), 'utf8'), /^\[from-carrier\]\n[^]*^\[from-lines\]\n/m);
    assert.match(first.stdout, /^Dialplan: Asterisk does not read \/etc\/asterisk\/extensions_tdmgate\.conf yet: add the line "#include extensions_tdmgate\.conf" at the end of \/etc\/asterisk\/extensions\.conf/m);
    assert.match(first.stdout, /^ {2}#include extensions_tdmgate\.conf$/m);

    put('/etc/asterisk/extensions.conf', '[general]\nstatic=yes\n\n#include extensions_tdmgate.conf\n');
    const json = apply('--json');
    assert.equal(json.code, 0, json.stdout + json.stderr);
    const report = JSON.parse(json.stdout) as { dialplan: { included: boolean; by: string }; dialplanReload: { status: string } };
    assert.deepEqual([report.dialplan.included, report.dialplan.by], [true, '/etc/asterisk/extensions.conf']);
  });

  it('holds the modprobe option back without dahdi-tools\' hotplug hook, writes it with the hook; diff agrees', () => {
    put('/etc/asterisk/extensions.conf', '#include extensions_tdmgate.conf\n');
    const modprobe = join(root, 'etc/modprobe.d/dahdi-tdmgate.conf');
    const held = apply();
    assert.equal(held.code, 0, held.stdout + held.stderr);
    assert.equal(existsSync(modprobe), false);
    assert.match(held.stdout, /^Span numbers: .*tdmgate did not write \/etc\/modprobe\.d\/dahdi-tdmgate\.conf: dahdi-tools' hotplug hook/m);
    assert.equal(runCli(['provision', 'diff', site, '--root', root]).code, 0, 'diff does not report the file apply holds back');

    put('/usr/share/dahdi/dahdi_handle_device', '#!/bin/sh\n');
    put('/usr/share/dahdi/handle_device.d/20-span-assignments', '#!/bin/sh\n');
    const diff = runCli(['provision', 'diff', site, '--root', root]);
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /new +\/etc\/modprobe\.d\/dahdi-tdmgate\.conf/);
    const r = apply();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(readFileSync(modprobe, 'utf8'), /^options dahdi auto_assign_spans=0$/m);

    // The guides' /etc/modprobe.d/dahdi.conf sorts after ours and wins: named, exit 1.
    put('/etc/modprobe.d/dahdi.conf', 'options dahdi auto_assign_spans=1\n');
    const overridden = apply();
    assert.equal(overridden.code, 1, overridden.stdout + overridden.stderr);
    assert.match(overridden.stdout, /^Span numbers: .*But \/etc\/modprobe\.d\/dahdi\.conf sets auto_assign_spans=1, read after/m);
  });
});
