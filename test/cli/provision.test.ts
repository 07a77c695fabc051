// `tdmgate provision` end to end, as the bundle a technician runs: validate (ok, and refused
// with file:line and exit 65), generate --out, diff, apply into a --root scratch tree with a fake
// dahdi_cfg and the sim backend, --dry-run and refused sites leaving the tree byte-for-byte as
// it was, automatic rollback when dahdi_cfg fails, --rollback, and the ARI reload against a
// stand-in HTTP server (204, 401, no answer). Spawned asynchronously: the stand-in runs here.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './cli-helpers';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The site the sim's default hardware can carry: 2 E1 PRI (CPE) and 2 FXO + 2 FXS. */
function siteYaml(timing2 = 2): string {
  return `site: test-box
toneZone: us
echoCanceller: none
cards:
  - name: dual E1
    location: PCI_Bus_03_Slot_01
    spans:
      - { port: 1, line: E1, signalling: pri_cpe, switchtype: euroisdn, dchannel: dchan, timing: 1, group: pri }
      - { port: 2, line: E1, signalling: pri_cpe, switchtype: euroisdn, dchannel: dchan, timing: ${timing2}, group: pri }
  - name: analog
    location: PCI_Bus_04_Slot_01
    ports:
      - { port: 1, type: fxo, group: lines }
      - { port: 2, type: fxo, group: lines }
      - { port: 3, type: fxs, group: phones }
      - { port: 4, type: fxs, group: phones }
groups:
  - { number: 1, name: pri, context: from-pri }
  - { number: 2, name: lines, context: from-pstn }
  - { number: 3, name: phones, context: from-phones }
`;
}

const INVALID_SITE = `site: broken
toneZone: us
cards:
  - name: dual E1
    location: PCI_Bus_03_Slot_01
    spans:
      - port: 1
        line: E1
        signalling: pri_cpe
        framming: ccs
        lbo: 9
`;

/** Every file under dir, by relative path, with a hash of its bytes. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (rel: string) => {
    const abs = join(dir, rel);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs).sort()) {
      const child = join(rel, name);
      if (statSync(join(dir, child)).isDirectory()) walk(child);
      else hash.update(`${child}\0`).update(readFileSync(join(dir, child)));
    }
  };
  walk('');
  return hash.digest('hex');
}

/**
 * A dahdi_cfg stand-in: logs its arguments; FAKE_CFG_FAIL=1 fails like a refused channel,
 * FAKE_CFG_TEST_FAIL=1 makes -t fail like a syntax error on line 7.
 */
function fakeDahdiCfg(dir: string): { bin: string; log: string } {
  const bin = join(dir, 'dahdi_cfg');
  const log = join(dir, 'dahdi_cfg.log');
  writeFileSync(
    bin,
    `#!/bin/sh
echo "$*" >> '${log}'
case " $* " in *" -t "*) if [ -n "$FAKE_CFG_TEST_FAIL" ]; then echo "Notice: Configuration file is x" >&2; echo "line 7: Unknown keyword 'bchann'" >&2; exit 1; fi;; esac
if [ -n "$FAKE_CFG_FAIL" ] && case " $* " in *" -t "*) false;; *) true;; esac; then
  echo "DAHDI_CHANCONFIG failed on channel 16: Invalid argument (22)" >&2
  exit 1
fi
exit 0
`,
  );
  chmodSync(bin, 0o755);
  return { bin, log };
}

function calls(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
}

describe('cli: tdmgate provision', function () {
  this.timeout(60_000);
  let dir: string;
  let root: string;
  let site: string;
  let cfg: { bin: string; log: string };
  let apply: (extra?: readonly string[], env?: Record<string, string>) => Promise<Run>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdmgate-provision-'));
    root = join(dir, 'root');
    mkdirSync(root);
    site = join(dir, 'site.yaml');
    writeFileSync(site, siteYaml());
    cfg = fakeDahdiCfg(dir);
    apply = (extra = [], env = {}) => runCli(['provision', 'apply', site, '--root', root, '--backend', 'sim', '--dahdi-cfg', cfg.bin, '--timeout', '10', ...extra], env);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('validate: a good site exits 0', async () => {
    const r = await runCli(['provision', 'validate', site]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid \(site 'test-box', 2 card\(s\)/);
  });

  it('validate: a broken site exits 65 with every issue as file:line: path: message', async () => {
    writeFileSync(site, INVALID_SITE);
    const r = await runCli(['provision', 'validate', site]);
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, new RegExp(`^${site.replace(/[.]/g, '\\.')}:10: cards\\[0\\]\\.spans\\[0\\]\\.framming: .*framing`, 'm'));
    assert.match(r.stderr, new RegExp(`^${site.replace(/[.]/g, '\\.')}:11: cards\\[0\\]\\.spans\\[0\\]\\.lbo: `, 'm'));
    const json = await runCli(['provision', 'validate', site, '--json']);
    assert.equal(json.code, 65);
    const report = JSON.parse(json.stdout) as { ok: boolean; issues: Array<{ line: number; path: string }> };
    assert.equal(report.ok, false);
    assert.ok(report.issues.some((i) => i.line === 10 && i.path === 'cards[0].spans[0].framming'));
  });

  it('generate --out writes the six files under their install paths', async () => {
    const out = join(dir, 'out');
    const r = await runCli(['provision', 'generate', site, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const written = ['etc/dahdi/system.conf', 'etc/dahdi/assigned-spans.conf', 'etc/dahdi/span-types.conf', 'etc/asterisk/chan_dahdi.conf', 'etc/asterisk/extensions_tdmgate.conf', 'etc/modprobe.d/dahdi-tdmgate.conf'];
    for (const target of written) {
      assert.ok(existsSync(join(out, target)), `${target} written`);
    }
    assert.match(readFileSync(join(out, 'etc/dahdi/system.conf'), 'utf8'), /^span=1,1,0,ccs,hdb3,crc4$/m);
    const dry = await runCli(['provision', 'generate', site, '--out', join(dir, 'dry'), '--dry-run']);
    assert.equal(dry.code, 0);
    assert.equal(existsSync(join(dir, 'dry')), false);
  });

  it('diff shows new files, then nothing, then the changed line; exits 1 on differences like diff(1)', async () => {
    let r = await runCli(['provision', 'diff', site, '--root', root]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^--- \/dev\/null\n\+\+\+ b\/etc\/dahdi\/system\.conf$/m);
    assert.equal((await apply()).code, 0);
    r = await runCli(['provision', 'diff', site, '--root', root]);
    assert.match(r.stdout, /No changes/);
    assert.equal(r.code, 0, r.stderr);
    writeFileSync(site, siteYaml(0));
    r = await runCli(['provision', 'diff', site, '--root', root, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { changed: boolean; files: Array<{ target: string; status: string; diff: string }> };
    assert.equal(report.changed, true);
    const conf = report.files.find((f) => f.target === '/etc/dahdi/system.conf');
    assert.equal(conf?.status, 'changed');
    assert.match(conf?.diff ?? '', /^-span=2,2,0,ccs,hdb3,crc4$/m);
    assert.match(conf?.diff ?? '', /^\+span=2,0,0,ccs,hdb3,crc4$/m);
  });

  it('apply writes the files, backs up, runs dahdi_cfg and reports every span up', async () => {
    const r = await apply();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(existsSync(join(root, 'etc/dahdi/system.conf')));
    assert.deepEqual(calls(cfg.log), [`-c ${join(root, 'etc/dahdi/system.conf')}`]);
    assert.match(r.stdout, /span 1 +up/);
    assert.match(r.stdout, /span 3 \(analog\) +up/);
    assert.match(r.stdout, /Spans: all up/);
    const backups = readdirSync(join(root, 'var/lib/tdmgate/backups'));
    assert.equal(backups.length, 1);
    const manifest = JSON.parse(readFileSync(join(root, 'var/lib/tdmgate/backups', backups[0] as string, 'manifest.json'), 'utf8')) as { files: Array<{ existed: boolean }> };
    assert.ok(manifest.files.every((f) => f.existed === false), 'none of the files existed before');
  });

  it('apply runs dahdi_cfg -t first where /dev/dahdi/ctl exists, and a refusal writes nothing', async () => {
    const dev = join(dir, 'dev');
    mkdirSync(dev);
    writeFileSync(join(dev, 'ctl'), '');
    const before = treeHash(root);
    const r = await apply([], { TDMGATE_DAHDI_DEV: dev, FAKE_CFG_TEST_FAIL: '1' });
    assert.equal(r.code, 65, r.stdout + r.stderr);
    assert.match(r.stdout, /\/etc\/dahdi\/system\.conf:7: dahdi_cfg: Unknown keyword 'bchann'/);
    assert.equal(treeHash(root), before);
    assert.equal(calls(cfg.log).length, 1);
    assert.match(calls(cfg.log)[0] ?? '', /^-t -c /);
  });

  it('apply --dry-run and an invalid site leave the tree exactly as it was, without running dahdi_cfg', async () => {
    assert.equal((await apply()).code, 0);
    writeFileSync(site, siteYaml(0));
    const before = treeHash(root);
    const dry = await apply(['--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: nothing was written/);
    assert.match(dry.stdout, /changed +\/etc\/dahdi\/system\.conf/);
    writeFileSync(site, INVALID_SITE);
    const invalid = await apply();
    assert.equal(invalid.code, 65);
    assert.match(invalid.stderr, /nothing was written/);
    assert.equal(treeHash(root), before);
    assert.equal(calls(cfg.log).length, 1, 'only the first apply ran dahdi_cfg');
  });

  it('a dahdi_cfg failure after the write puts the old files back and re-runs dahdi_cfg on them', async () => {
    assert.equal((await apply()).code, 0);
    const etcBefore = treeHash(join(root, 'etc'));
    writeFileSync(site, siteYaml(0));
    const r = await apply([], { FAKE_CFG_FAIL: '1' });
    assert.equal(r.code, 65, r.stdout + r.stderr);
    assert.match(r.stdout, /system\.conf:\d+: dahdi_cfg: the driver refused the signalling of channel 16/);
    assert.match(r.stdout, /previous files were put back automatically/);
    assert.equal(treeHash(join(root, 'etc')), etcBefore);
    // The failed per-span run, then the same span run again on the restored file.
    const conf = join(root, 'etc/dahdi/system.conf');
    assert.deepEqual(calls(cfg.log).slice(1), [`-c ${conf} -S 2 -C 32-62`, `-c ${conf} -S 2 -C 32-62`]);
  });

  it('a failed apply offers no undo (the old files are back), a good one does', async () => {
    const good = await apply(['--json']);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    const applied = JSON.parse(good.stdout) as { backup: string; undo: { command: string; backup: string } | null };
    assert.deepEqual(applied.undo, { command: 'tdmgate provision apply --rollback', backup: applied.backup });
    writeFileSync(site, siteYaml(0));
    const text = await apply([], { FAKE_CFG_FAIL: '1' });
    assert.equal(text.code, 65, text.stdout + text.stderr);
    assert.doesNotMatch(text.stdout, /undo with/);
    assert.match(text.stdout, /^Backup: .* nothing to undo\)$/m);
    const json = await apply(['--json'], { FAKE_CFG_FAIL: '1' });
    assert.equal(json.code, 65);
    const failed = JSON.parse(json.stdout) as { outcome: string; undo: unknown };
    assert.equal(failed.outcome, 'rolled-back');
    assert.equal(failed.undo, null);
  });

  it('only the changed span is reconfigured, and --rollback restores the previous files', async () => {
    assert.equal((await apply()).code, 0);
    const v1 = readFileSync(join(root, 'etc/dahdi/system.conf'), 'utf8');
    const etcBefore = treeHash(join(root, 'etc'));
    writeFileSync(site, siteYaml(0));
    assert.equal((await apply()).code, 0);
    assert.equal(calls(cfg.log)[1], `-c ${join(root, 'etc/dahdi/system.conf')} -S 2 -C 32-62`);
    const dry = await runCli(['provision', 'apply', '--rollback', '--dry-run', '--root', root, '--backend', 'sim', '--dahdi-cfg', cfg.bin]);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.notEqual(treeHash(join(root, 'etc')), etcBefore, 'dry run restored nothing');
    const r = await runCli(['provision', 'apply', '--rollback', '--root', root, '--backend', 'sim', '--dahdi-cfg', cfg.bin, '--timeout', '10']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(readFileSync(join(root, 'etc/dahdi/system.conf'), 'utf8'), v1);
    assert.equal(treeHash(join(root, 'etc')), etcBefore);
    assert.equal(calls(cfg.log)[2], `-c ${join(root, 'etc/dahdi/system.conf')} -S 2 -C 32-62`);
    assert.match(r.stdout, /^Rollback to the backup of \S+ \(.*\):\n {2}restore +\/etc\/dahdi\/system\.conf$/m);
    // The next rollback goes one further back: to before the first apply, when no file existed,
    // which removes the files: only with --force.
    const refused = await runCli(['provision', 'apply', '--rollback', '--root', root, '--backend', 'sim', '--dahdi-cfg', cfg.bin]);
    assert.equal(refused.code, 64, refused.stdout + refused.stderr);
    assert.ok(existsSync(join(root, 'etc/dahdi/system.conf')));
    assert.equal((await runCli(['provision', 'apply', '--rollback', '--force', '--root', root, '--backend', 'sim', '--dahdi-cfg', cfg.bin])).code, 0);
    assert.equal(existsSync(join(root, 'etc/dahdi/system.conf')), false);
    const none = await runCli(['provision', 'apply', '--rollback', '--root', root, '--backend', 'sim']);
    assert.equal(none.code, 65);
    assert.match(none.stderr, /no backup to restore/);
  });

  it('--rollback after a failed apply shows its plan and removes no working file without --force', async () => {
    // The field report: first apply on a fresh box, a second apply that dahdi_cfg fails (files
    // put back), then the rollback the old hint suggested.
    assert.equal((await apply()).code, 0);
    writeFileSync(site, siteYaml(0));
    assert.equal((await apply([], { FAKE_CFG_FAIL: '1' })).code, 65);
    const etc = join(root, 'etc');
    const working = treeHash(etc);
    // No modprobe option: the scratch root has no dahdi-tools hotplug hook, so apply held it back.
    const targets = ['/etc/dahdi/system.conf', '/etc/dahdi/assigned-spans.conf', '/etc/dahdi/span-types.conf', '/etc/asterisk/chan_dahdi.conf', '/etc/asterisk/extensions_tdmgate.conf'];
    const rollback = (extra: readonly string[]) => runCli(['provision', 'apply', '--rollback', '--root', root, '--backend', 'sim', '--dahdi-cfg', cfg.bin, '--timeout', '10', ...extra]);

    const refused = await rollback([]);
    assert.equal(refused.code, 64, refused.stdout + refused.stderr);
    assert.match(refused.stdout, /^Rollback to the backup of /m);
    for (const target of targets) assert.match(refused.stdout, new RegExp(`^ {2}REMOVE +${target.replace(/[.]/g, '\\.')} `, 'm'));
    assert.match(refused.stderr, /refusing to roll back: .*\/etc\/dahdi\/system\.conf.* Add --force/);
    assert.equal(treeHash(etc), working, 'nothing removed');

    const json = await rollback(['--json']);
    assert.equal(json.code, 64);
    const report = JSON.parse(json.stdout) as { ok: boolean; code: string; removes: string[]; plan: { files: Array<{ target: string; action: string }> } };
    assert.equal(report.code, 'ROLLBACK_REMOVES');
    assert.deepEqual([...report.removes].sort(), [...targets].sort());

    const dry = await rollback(['--dry-run', '--force']);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /dry run, nothing will change/);
    assert.equal(treeHash(etc), working, 'a dry run changes nothing');

    const forced = await rollback(['--force', '--json']);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    const done = JSON.parse(forced.stdout) as { plan: { files: Array<{ target: string; action: string }> }; changes: Array<{ target: string; status: string }> };
    assert.deepEqual(done.plan.files.map((f) => [f.target, f.action]), done.changes.map((c) => [c.target, c.status === 'removed' ? 'remove' : c.status]), 'did only what it showed');
    for (const target of targets) assert.equal(existsSync(join(root, target)), false);
  });

  it('--force without --rollback is a usage error', async () => {
    const r = await apply(['--force']);
    assert.equal(r.code, 64, r.stdout + r.stderr);
    assert.equal(existsSync(join(root, 'etc/dahdi/system.conf')), false);
  });

  it('exits 2 when a span stays in alarm after --timeout', async () => {
    const scenario = join(dir, 'los.yaml');
    writeFileSync(scenario, 'faults:\n  scripted:\n    - { at: 0, span: 2, fault: LOS }\n');
    const r = await apply(['--timeout', '1', '--scenario', scenario]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /span 2 +RED/);
    assert.match(r.stdout, /Spans: 1 not up after the timeout/);
  });

  describe('ARI reload', () => {
    let server: Server;
    let url: string;
    let answer: 'ok' | 'unauthorized' | 'hang';
    const requests: string[] = [];
    before(async () => {
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
        if (answer === 'hang') return;
        if (answer === 'unauthorized') {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Authentication required"}');
          return;
        }
        res.writeHead(204).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    const env = () => ({ TDMGATE_ARI_URL: url, TDMGATE_ARI_USER: 'tdm', TDMGATE_ARI_PASSWORD: 'pw' });

    it('204: chan_dahdi reloaded, exit 0', async () => {
      answer = 'ok';
      const r = await apply(['--json'], env());
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const report = JSON.parse(r.stdout) as { outcome: string; reload: { status: string } };
      assert.equal(report.outcome, 'applied');
      assert.equal(report.reload.status, 'reloaded');
      assert.equal(requests.at(-1), `PUT /ari/asterisk/modules/chan_dahdi.so Basic ${Buffer.from('tdm:pw').toString('base64')}`);
    });

    it('401: the files stay, exit 1 with the credentials named', async () => {
      answer = 'unauthorized';
      const r = await apply([], env());
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /ARI refused the credentials \(HTTP 401\)/);
      assert.ok(existsSync(join(root, 'etc/asterisk/chan_dahdi.conf')));
    });

    it('no answer: gives up after --ari-timeout, exit 1', async () => {
      answer = 'hang';
      const r = await apply(['--ari-timeout', '0.5'], env());
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /ARI did not answer within 500 ms/);
    });
  });

  it('import turns generated files back into a site that validates; a refused file exits 65 with file:line', async () => {
    const out = join(dir, 'out');
    assert.equal((await runCli(['provision', 'generate', site, '--out', out])).code, 0);
    const imported = join(dir, 'imported.yaml');
    const args = ['provision', 'import', '--system-conf', join(out, 'etc/dahdi/system.conf'), '--chan-dahdi', join(out, 'etc/asterisk/chan_dahdi.conf'), '--out', imported];
    const dry = await runCli([...args, '--dry-run']);
    assert.ok(dry.code === 0 || dry.code === 1, dry.stderr);
    assert.equal(existsSync(imported), false, '--dry-run wrote nothing');
    const r = await runCli(args);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.match(r.stdout, /Wrote .*imported\.yaml/);
    assert.equal((await runCli(['provision', 'validate', imported])).code, 0);
    // assigned-spans.conf beside system.conf pins the cards: no placeholder left.
    assert.doesNotMatch(readFileSync(imported, 'utf8'), /location: unknown:/);
    const missing = await runCli([...args, '--assigned-spans', join(dir, 'none.conf')]);
    assert.equal(missing.code, 65, missing.stdout + missing.stderr);
    const broken = join(dir, 'broken.conf');
    writeFileSync(broken, 'span=1,1,0,ccs,hdb3\nbchan=1-15,17-31\ndchan=16\nbchan=16\n');
    const refused = await runCli(['provision', 'import', '--system-conf', broken]);
    assert.equal(refused.code, 65, refused.stdout + refused.stderr);
    assert.match(refused.stderr, new RegExp(`^${broken.replace(/[.]/g, '\\.')}:4: `, 'm'));
  });

  it('provision --help lists the provision commands and their exit codes; provision alone is a usage error with the same list', async () => {
    const help = await runCli(['provision', '--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const name of ['validate', 'generate', 'diff', 'apply', 'import']) assert.match(help.stdout, new RegExp(`^ {2}provision ${name} `, 'm'));
    assert.doesNotMatch(help.stdout, /diag scan/, 'the provision topic, not every command');
    assert.match(help.stdout, /--force/);
    assert.match(help.stdout, /provision diff exits like diff\(1\)/);
    assert.equal((await runCli(['provision', '-h'])).stdout, help.stdout);
    const bare = await runCli(['provision']);
    assert.equal(bare.code, 64);
    assert.match(bare.stderr, /provision needs a command/);
    assert.match(bare.stderr, /^ {2}provision apply /m);
  });

  it('usage mistakes exit 64', async () => {
    assert.equal((await runCli(['provision', 'apply'])).code, 64);
    assert.equal((await runCli(['provision', 'apply', '--rollback', site])).code, 64);
    assert.equal((await runCli(['provision', 'generate', site])).code, 64);
    assert.equal((await runCli(['provision', 'apply', site, '--timeout', 'soon'])).code, 64);
    assert.equal((await runCli(['provision', 'diff'])).code, 64);
    writeFileSync(site, INVALID_SITE);
    assert.equal((await runCli(['provision', 'diff', site, '--root', root])).code, 65, 'an invalid site is an error, not a difference');
  });
});
