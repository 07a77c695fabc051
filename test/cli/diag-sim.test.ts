// End to end against the sim backend's built-in scenario: two E1 PRI spans and an analog card.

import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli-helpers';

describe('tdmgate diag on the sim backend', () => {
  it('scan --json lists the three spans with not-reported counters as null', () => {
    const run = runCli(['diag', 'scan', '--json', '--backend', 'sim']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { backend: { kind: string; reason: string }; spans: { span: number; counters: Record<string, number | null>; usage: { total: number } }[]; health: { code: number } };
    assert.equal(report.backend.kind, 'sim');
    assert.deepEqual(report.spans.map((s) => s.span), [1, 2, 3]);
    assert.equal(report.spans[0]?.usage.total, 31);
    assert.equal(report.spans[0]?.counters.bpv, null);
    assert.equal(report.health.code, 0);
  });

  it('scan says which backend answers and why, and prints n/a for not-reported counters', () => {
    const run = runCli(['diag', 'scan', '--backend', 'sim']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Backend: sim - simulated/);
    assert.match(run.stdout, /bpv n\/a/);
    assert.match(run.stdout, /ports: .*FXS/);
  });

  it('explain --lang zh prints Chinese', () => {
    const run = runCli(['diag', 'explain', '--backend', 'sim', '--lang', 'zh', '--window', '0']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /第 1 路/);
    assert.match(run.stdout, /未发现问题/);
  });

  it('explain on a span that does not exist lists the spans present, exit 64', () => {
    const run = runCli(['diag', 'explain', '7', '--backend', 'sim', '--window', '0']);
    assert.equal(run.code, 64);
    assert.match(run.stderr, /span 7 does not exist; spans present: 1, 2, 3/);
  });

  it('watch --count appends plain lines when stdout is not a terminal', () => {
    const run = runCli(['diag', 'watch', '--backend', 'sim', '--count', '2', '--interval', '0.1']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stdout.includes("\u001b["), "no ANSI codes in piped output");
    assert.equal(run.stdout.split('\n').filter((line) => / span 1 E1 /.test(line)).length, 2);
  });

  it('watch --json prints one JSON object per refresh', () => {
    const run = runCli(['diag', 'watch', '--backend', 'sim', '--count', '2', '--interval', '0.1', '--json']);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { spans?: unknown[] });
    assert.equal(lines.filter((line) => line.spans).length, 2);
  });

  describe('exit codes from scenarios with faults', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'tdmgate-scenario-'));
      await writeFile(path.join(dir, 'los.yaml'), 'seed: 1\nfaults:\n  scripted:\n    - { at: 0, span: 1, fault: LOS }\n');
      await writeFile(path.join(dir, 'slips.yaml'), 'seed: 1\nfaults:\n  scripted:\n    - { at: 300, span: 2, fault: slips, count: 50 }\n');
    });
    after(async () => rm(dir, { recursive: true, force: true }));

    it('explain exits 2 and explains LOS when a span is in alarm', () => {
      const run = runCli(['diag', 'explain', '--backend', 'sim', '--scenario', path.join(dir, 'los.yaml'), '--window', '0.5']);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stdout, /RED alarm \/ LOS/);
    });

    it('explain exits 1 and points at the clock when slips rise', () => {
      const run = runCli(['diag', 'explain', '2', '--backend', 'sim', '--scenario', path.join(dir, 'slips.yaml'), '--window', '1']);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /Timing slips rising/);
    });
  });

  it('loopback on a sim span passes and takes the loop down', () => {
    const run = runCli(['diag', 'loopback', '1', '--backend', 'sim', '--seconds', '1', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { verdict: string; restored: boolean };
    assert.equal(result.verdict, 'pass');
    assert.equal(result.restored, true);
  });

  it('report writes a bundle even on a host without DAHDI files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tdmgate-report-'));
    try {
      const out = path.join(dir, 'bundle.tar.gz');
      const run = runCli(['diag', 'report', '--backend', 'sim', '--out', out, '--window', '0']);
      assert.equal(run.code, 0, run.stderr);
      assert.ok((await stat(out)).size > 0);
      assert.match(run.stdout, /Support bundle written/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
