import assert from 'node:assert/strict';
import { runCli } from './cli-helpers';

describe('tdmgate CLI usage', () => {
  it('--help lists every diag command and the exit codes', () => {
    const run = runCli(['--help']);
    assert.equal(run.code, 0);
    for (const name of ['diag scan', 'diag watch', 'diag explain', 'diag loopback', 'diag report']) assert.match(run.stdout, new RegExp(name));
    assert.match(run.stdout, /64 usage error/);
  });

  it('diag explain --help shows its own options', () => {
    const run = runCli(['diag', 'explain', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /--lang en\|zh/);
  });

  it('names the allowed values of a bad --backend, exit 64', () => {
    const run = runCli(['diag', 'scan', '--backend', 'asterisk']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /--backend must be one of sim, dahdi/);
    assert.doesNotMatch(run.stderr, /at .*\.js:\d+/);
  });

  it('names the allowed values of a bad --lang, exit 64', () => {
    const run = runCli(['diag', 'explain', '--lang', 'fr']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /--lang must be one of en, zh/);
  });

  it('lists the commands for an unknown command, exit 64', () => {
    const run = runCli(['diag', 'frobnicate']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /unknown command 'diag frobnicate'; commands: diag scan, diag watch, diag explain, diag loopback, diag report/);
  });

  it('names an unknown option and the options the command takes', () => {
    const run = runCli(['diag', 'scan', '--colour']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /unknown option --colour for diag scan; options: --json, --backend/);
  });

  it('rejects bad numbers with the option name', () => {
    assert.match(runCli(['diag', 'watch', '--count', 'x']).stderr, /--count must be a whole number/);
    assert.match(runCli(['diag', 'loopback', '1', '--seconds', '0']).stderr, /--seconds must be a number of seconds/);
    assert.match(runCli(['diag', 'loopback', '1', '--mode', 'remote']).stderr, /--mode must be one of local, network/);
    assert.match(runCli(['diag', 'loopback']).stderr, /needs a span number/);
  });

  it('refuses --scenario with the dahdi backend', () => {
    const run = runCli(['diag', 'scan', '--backend', 'dahdi', '--scenario', 'x.yaml']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /--scenario only applies to --backend sim/);
  });
});
