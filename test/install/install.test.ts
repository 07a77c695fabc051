// scripts/install into a staging root, then checked the way a box would use it: the unit passes
// `systemd-analyze verify` (and a broken one does not, so the check can fail), the config
// template is a valid supervisor config and is never overwritten, a dry run changes nothing,
// and the installed app - production packages only - runs the supervisor that `tdmgate check
// supervisor` finds ready.

import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/supervisor/config';

const TOP = path.resolve(__dirname, '..', '..', '..');
const INSTALL = path.join(TOP, 'scripts', 'install');
const UNIT = 'etc/systemd/system/tdmgate.service';

function install(args: readonly string[]): { code: number | null; out: string } {
  const r = spawnSync('bash', [INSTALL, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** systemd-analyze verify of a unit under `root`; its exit code and everything it printed. */
function verify(root: string, unit: string): { code: number | null; out: string } {
  const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, unit], { encoding: 'utf8', timeout: 60_000, cwd: root });
  return { code: r.status, out: (r.stdout + r.stderr).trim() };
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 30_000, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, out: stdout + stderr });
    });
  });
}

describe('scripts/install into a staging root', function () {
  this.timeout(120_000);
  let root: string;
  before(function () {
    if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
      console.log('    (skipped: systemd-analyze is not installed)');
      this.skip();
    }
    root = mkdtempSync(path.join(tmpdir(), 'tdmgate-install-'));
    const r = install(['--root', root]);
    assert.equal(r.code, 0, r.out);
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('puts the app, the command, the config (0640) and the unit in place', () => {
    for (const f of ['opt/tdmgate/bin/tdmgate', 'opt/tdmgate/dist/tdmgate.js', 'opt/tdmgate/build/Release/tdmgate_dahdi.node', 'opt/tdmgate/node_modules/express/package.json', UNIT]) {
      assert.ok(existsSync(path.join(root, f)), `${f} installed`);
    }
    // Development tools stay behind.
    assert.ok(!existsSync(path.join(root, 'opt/tdmgate/node_modules/typescript')), 'no typescript in the installed app');
    assert.equal(statSync(path.join(root, 'etc/tdmgate/tdmgate.yaml')).mode & 0o777, 0o640);
    assert.match(readFileSync(path.join(root, 'opt/tdmgate/bin/tdmgate'), 'utf8'), /^exec \/\S+ \/opt\/tdmgate\/dist\/tdmgate\.js "\$@"$/m);
  });

  it('the unit passes systemd-analyze verify, silently', () => {
    // verify resolves the unit's dependencies (sysinit.target, ...) inside the root: give it
    // this system's own unit files, as a real root has them.
    cpSync('/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    const r = verify(root, 'tdmgate.service');
    assert.deepEqual(r, { code: 0, out: '' });
  });

  it('a broken unit fails the same verify (the check can fail)', () => {
    const unit = readFileSync(path.join(root, UNIT), 'utf8');
    const broken = unit.replace('ExecStart=/opt/tdmgate/bin/tdmgate ', 'ExecStart=/opt/tdmgate/bin/tdmgate-missing ').replace('\nRestart=always\n', '\nRestart=sometimes\n');
    assert.notEqual(broken, unit);
    writeFileSync(path.join(root, 'etc/systemd/system/tdmgate-broken.service'), broken);
    const r = verify(root, 'tdmgate-broken.service');
    assert.notEqual(r.code, 0);
    assert.match(r.out, /tdmgate-missing is not executable/);
    assert.match(r.out, /restart specifier/);
  });

  it('the config template is a valid supervisor config for the real driver', async () => {
    const file = path.join(root, 'etc/tdmgate/tdmgate.yaml');
    const config = await loadConfig({ env: {}, flags: { config: file } });
    assert.equal(config.backend, 'dahdi');
    assert.equal(config.site, '/etc/tdmgate/site.yaml');
    assert.equal(config.dataDir, '/var/lib/tdmgate');
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 8091 });
    assert.equal(config.ari?.url, 'http://127.0.0.1:8088');
  });

  it('run again: the config a technician edited is kept, the rest is put back', () => {
    const file = path.join(root, 'etc/tdmgate/tdmgate.yaml');
    writeFileSync(file, 'backend: sim\n');
    rmSync(path.join(root, UNIT));
    const r = install(['--root', root]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /tdmgate\.yaml exists, kept as it is/);
    assert.equal(readFileSync(file, 'utf8'), 'backend: sim\n');
    assert.ok(existsSync(path.join(root, UNIT)));
  });

  it('a dry run changes nothing; bad options are refused', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'tdmgate-install-dry-'));
    try {
      const r = install(['--root', empty, '--dry-run']);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /would run: install -m 0644 \S+tdmgate\.service/);
      assert.deepEqual(readdirSync(empty), []);
      assert.equal(install(['--root', empty, '--dahdi-group', 'Bad Group']).code, 1);
      assert.equal(install(['--frobnicate']).code, 64);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('the installed app (production packages only) runs the supervisor, and check supervisor finds it ready', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'tdmgate-install-run-'));
    const cli = path.join(root, 'opt/tdmgate/dist/tdmgate.js');
    // An empty config of its own: a box with tdmgate installed for real has /etc/tdmgate/tdmgate.yaml.
    const config = path.join(data, 'empty.yaml');
    writeFileSync(config, '');
    const env = { ...process.env, TDMGATE_DATA_DIR: data, TDMGATE_LISTEN: '127.0.0.1:0', TDMGATE_REDIS_URL: 'off', XDG_CACHE_HOME: data };
    const child = spawn(process.execPath, [cli, 'supervise', '--config', config, '--backend', 'sim', '--log-format', 'json', '--demo-rate', '6'], { env, cwd: tmpdir(), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          const rec = JSON.parse(line) as { msg?: string; url?: string };
          if (rec.msg === 'HTTP server listening' && rec.url) resolve(rec.url);
        });
        child.once('exit', (code) => reject(new Error(`the installed supervisor exited ${code} before listening`)));
      });
      const r = await run(process.execPath, [cli, 'check', 'supervisor', '--url', url], env);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /^TDMGATE SUPERVISOR OK - ari ready/);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, 'a clean stop on SIGTERM');
      rmSync(data, { recursive: true, force: true });
    }
  });
});
