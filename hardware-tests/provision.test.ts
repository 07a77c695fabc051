// `tdmgate provision` on the real driver: the generated system.conf for the two loc spans is
// accepted by the real dahdi_cfg and the spans come up; `provision apply --backend dahdi`
// reports both up, reconfigures only a changed span (-S/-C), puts the files back when the real
// dahdi_cfg refuses them (an echo canceller the guest has no module for), and refuses an
// invalid site before dahdi_cfg is ever started.
//
// The site model has no dynamic spans (the loc spans are created by the harness's own
// system.conf with dynamic= lines): the site here describes the two existing loc spans as two E1
// spans of one card, which is what dahdi_cfg configures on them (span=, bchan=, dchan=).

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/cli/cli-helpers';
import { locPair, requireDahdi, SYSTEM_CONF, sysSpans, tool, waitFor } from './env';

function site(options: { timing2?: number; echoCanceller?: string } = {}): string {
  return `site: vm-loc-pair
toneZone: us
echoCanceller: ${options.echoCanceller ?? 'none'}
cards:
  - name: loc pair
    location: dynamic_loc
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, switchtype: euroisdn, dchannel: dchan, timing: 1, group: pri }
      - { port: 2, line: E1, signalling: pri_cpe, switchtype: euroisdn, dchannel: dchan, timing: ${options.timing2 ?? 2}, group: pri }
groups:
  - { number: 1, name: pri, context: from-pri }
`;
}

interface ApplyJson {
  outcome: string;
  errors: string[];
  dahdiCfg: { test: { ok: boolean } | null; runs: Array<{ args: string[]; ok: boolean }>; restoreRuns: Array<{ args: string[]; ok: boolean }> };
  watch: { allUp: boolean; spans: Array<{ span: number | null; state: string }> } | null;
}

describe('provision on the real driver', function () {
  this.timeout(120_000);
  let dir: string;
  let root: string;
  let sitePath: string;
  let wrapper: string;
  let log: string;

  before(() => {
    requireDahdi();
    locPair();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-hw-provision-'));
    root = join(dir, 'root');
    mkdirSync(root);
    sitePath = join(dir, 'site.yaml');
    writeFileSync(sitePath, site());
    // dahdi_cfg from PATH, with a log of each start: proves whether it ran at all.
    log = join(dir, 'dahdi_cfg.log');
    wrapper = join(dir, 'dahdi_cfg');
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec dahdi_cfg "$@"\n`);
    chmodSync(wrapper, 0o755);
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    // Leave the driver as the harness configured it, for the suites that follow.
    tool('dahdi_cfg', ['-c', SYSTEM_CONF]);
    await waitFor('the loc spans back without alarms', () => (sysSpans().every((s) => s.alarms === 0) ? true : undefined));
  });

  const apply = (extra: readonly string[] = []) => runCli(['provision', 'apply', sitePath, '--root', root, '--backend', 'dahdi', '--dahdi-cfg', wrapper, '--timeout', '30', '--json', ...extra]);
  const starts = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

  it('the generated system.conf is accepted by the real dahdi_cfg and the spans come up', async () => {
    const out = join(dir, 'out');
    const gen = runCli(['provision', 'generate', sitePath, '--out', out]);
    assert.equal(gen.code, 0, gen.stderr);
    const conf = join(out, 'etc/dahdi/system.conf');
    assert.match(readFileSync(conf, 'utf8'), /^span=1,1,0,ccs,hdb3,crc4$/m);
    tool('dahdi_cfg', ['-t', '-c', conf]);
    tool('dahdi_cfg', ['-c', conf]);
    const { a, b } = locPair();
    await waitFor('both loc spans without alarms', () => (sysSpans().filter((s) => s.span === a.span || s.span === b.span).every((s) => s.alarms === 0) ? true : undefined));
  });

  it('provision apply --backend dahdi reports both spans up, then reconfigures only a changed span', () => {
    const first = apply();
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const report = JSON.parse(first.stdout) as ApplyJson;
    assert.equal(report.outcome, 'applied');
    assert.equal(report.dahdiCfg.test?.ok, true, 'dahdi_cfg -t ran first');
    assert.deepEqual(
      report.watch?.spans.map((s) => [s.span, s.state]),
      [
        [1, 'up'],
        [2, 'up'],
      ],
    );
    writeFileSync(sitePath, site({ timing2: 0 }));
    const second = apply();
    assert.equal(second.code, 0, second.stdout + second.stderr);
    const again = JSON.parse(second.stdout) as ApplyJson;
    assert.deepEqual(
      again.dahdiCfg.runs.map((r) => [r.args.slice(2).join(' '), r.ok]),
      [['-S 2 -C 32-62', true]],
    );
    assert.equal(again.watch?.allUp, true);
  });

  it('puts the files back when the real dahdi_cfg refuses them, naming the line', () => {
    assert.equal(apply().code, 0);
    const before = readFileSync(join(root, 'etc/dahdi/system.conf'), 'utf8');
    // mg2 parses (dahdi_cfg -t passes) but the guest has no dahdi_echocan_mg2 module.
    writeFileSync(sitePath, site({ echoCanceller: 'mg2' }));
    const r = apply();
    assert.equal(r.code, 65, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as ApplyJson;
    assert.equal(report.outcome, 'rolled-back');
    assert.ok(report.errors.some((e) => /system\.conf:\d+: dahdi_cfg: cannot attach the echo canceller to channel \d+.*dahdi_echocan_mg2/.test(e)), report.errors.join('\n'));
    assert.equal(readFileSync(join(root, 'etc/dahdi/system.conf'), 'utf8'), before);
    assert.ok(report.dahdiCfg.restoreRuns.every((run) => run.ok), 'dahdi_cfg re-ran on the restored file');
  });

  it('an invalid site is refused before dahdi_cfg runs', () => {
    writeFileSync(sitePath, site().replace('line: E1', 'line: E3'));
    const r = apply();
    assert.equal(r.code, 65, r.stdout + r.stderr);
    assert.equal(starts().length, 0, 'dahdi_cfg never started');
    assert.equal(existsSync(join(root, 'etc')), false, 'nothing written');
  });
});
