// Rehearsing a job before going on site (issue 9, sections 1 and 2): `provision validate` and
// `apply` against a simulated copy of the customer's cards (--backend sim --scenario), the
// TE420 + TDM410P box whose fourth E1 is unused, and an `apply --dry-run` off the box that says
// dahdi_cfg -t never ran and what else was not checked, in text and JSON.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-helpers';

/** The customer's cards as the sim shows them: a TE420 (4 x E1, port 3 on MFC/R2) and a TDM410P (2 FXO, 2 FXS). */
const BOX = `cards:
  - { vendor: Digium, model: TE420, location: "0000:03:00.0", driver: wct4xxp, spans: [{ type: E1 }, { type: E1 }, { type: E1, signalling: mfcr2, framing: cas, crc4: false }, { type: E1 }] }
  - { vendor: Digium, model: TDM410P, location: "0000:04:00.0", driver: wctdm24xxp, ports: [{ type: fxo }, { type: fxo }, { type: fxs }, { type: fxs }] }
`;

function site(portCount: string, ports = '[{ port: 1-2, type: fxo, group: lines }, { port: 3-4, type: fxs, group: phones }]'): string {
  return `site: shanghai
toneZone: cn
echoCanceller: none
cards:
  - name: TE420
    location: PCI_Bus_03_Slot_01
${portCount}    spans:
      - { port: 1, line: E1, signalling: pri_cpe, group: telecom }
      - { port: 2, line: E1, signalling: pri_cpe, group: telecom }
      - { port: 3, line: E1, signalling: mfcr2, crc4: false, mfcr2: { variant: cn }, group: unicom }
  - name: TDM410P
    location: PCI_Bus_04_Slot_01
    ports: ${ports}
groups:
  - { number: 1, name: telecom, context: from-telecom }
  - { number: 2, name: unicom, context: from-unicom }
  - { number: 3, name: lines, context: from-lines }
  - { number: 4, name: phones, context: from-phones, direction: in }
`;
}

describe('cli: provision rehearsed against simulated cards', function () {
  this.timeout(60_000);
  let dir: string;
  let box: string;
  let file: string;
  let cfg: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-rehearse-'));
    box = join(dir, 'box.yaml');
    writeFileSync(box, BOX);
    file = join(dir, 'site.yaml');
    cfg = join(dir, 'dahdi_cfg');
    writeFileSync(cfg, '#!/bin/sh\nexit 0\n');
    chmodSync(cfg, 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('validate --backend sim --scenario: the checks against the cards run, and name portCount for the unused port', () => {
    writeFileSync(file, site(''));
    const short = runCli(['provision', 'validate', file, '--backend', 'sim', '--scenario', box]);
    assert.equal(short.code, 65, short.stdout + short.stderr);
    assert.match(short.stderr, /site\.yaml:\d+: cards\[0\]: the card at PCI_Bus_03_Slot_01 has 4 spans but the site lays out 3: .*set portCount: 4/);

    writeFileSync(file, site('    portCount: 4\n'));
    const ok = runCli(['provision', 'validate', file, '--scenario', box]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /valid .*checked against the 5 span\(s\) of the simulated cards .*scenario .*box\.yaml/);
    const json = runCli(['provision', 'validate', file, '--scenario', box, '--json']);
    const report = JSON.parse(json.stdout) as { checkedAgainstHardware: boolean; hardware: { backend: string; spans: number } };
    assert.deepEqual([report.checkedAgainstHardware, report.hardware.backend, report.hardware.spans], [true, 'sim', 5]);

    // FXO and FXS swapped: caught against the copy of the cards, not on site.
    writeFileSync(file, site('    portCount: 4\n', '[{ port: 1-2, type: fxs, group: phones }, { port: 3-4, type: fxo, group: lines }]'));
    const swapped = runCli(['provision', 'validate', file, '--backend', 'sim', '--scenario', box]);
    assert.equal(swapped.code, 65);
    assert.match(swapped.stderr, /port 1 \(fxs, kewl start\) needs fxoks, which channel 125 cannot do - the module on port 1 is an FXO module/);
  });

  it('validate without a driver says it did not check the hardware; --scenario with --backend dahdi is a usage error', () => {
    writeFileSync(file, site('    portCount: 4\n'));
    const plain = runCli(['provision', 'validate', file]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /not checked against hardware \(rehearse with --backend sim --scenario FILE\)/);
    assert.equal(runCli(['provision', 'validate', file, '--backend', 'dahdi', '--scenario', box]).code, 64);
  });

  it('apply --backend sim --scenario reports the TDM410P as span 5 (analog) up, never the unused E1 port', () => {
    writeFileSync(file, site('    portCount: 4\n'));
    const r = runCli(['provision', 'apply', file, '--root', join(dir, 'root'), '--backend', 'sim', '--scenario', box, '--dahdi-cfg', cfg, '--timeout', '10']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /span 5 \(analog\) +up/);
    assert.doesNotMatch(r.stdout, /span 4\b/);
    assert.match(r.stdout, /Spans: all up/);
  });

  it('apply --dry-run off the box says dahdi_cfg -t never ran and what was not checked, in text and JSON', () => {
    writeFileSync(file, site('    portCount: 4\n'));
    const args = ['provision', 'apply', file, '--root', join(dir, 'root'), '--dry-run', '--dahdi-cfg', cfg];
    const text = runCli(args);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /dahdi_cfg -t: never ran - DAHDI is not loaded here \(no \/dev\/dahdi\/ctl\)/);
    assert.match(text.stdout, /Not checked:\n {2}- dahdi_cfg -t [^\n]*\n {2}- the site against the cards [^\n]*--backend sim --scenario FILE\n {2}- whether assigned-spans\.conf takes effect: [^\n]*auto_assign_spans=0/);
    const json = JSON.parse(runCli([...args, '--json']).stdout) as { outcome: string; dahdiCfg: { test: unknown; testSkipped: string }; notChecked: Array<{ what: string; why: string }> };
    assert.equal(json.outcome, 'dry-run');
    assert.equal(json.dahdiCfg.test, null);
    assert.match(json.dahdiCfg.testSkipped, /dahdi_cfg -t opens it even in test mode/);
    assert.ok(json.notChecked.some((g) => g.what.startsWith('dahdi_cfg -t')));
    assert.ok(json.notChecked.some((g) => g.what.startsWith('the site against the cards')));
    // Against a simulated copy of the cards, the site check is no longer a gap.
    const rehearsed = JSON.parse(runCli([...args, '--json', '--scenario', box]).stdout) as { notChecked: Array<{ what: string }>; checkedAgainst: string };
    assert.ok(!rehearsed.notChecked.some((g) => g.what.startsWith('the site against the cards')));
    assert.match(rehearsed.checkedAgainst, /simulated cards/);
  });
});
