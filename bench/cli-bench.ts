// Whole-process timing of the CLI as a technician runs it: `tdmgate diag scan --json` on 32
// simulated E1 spans, node start-up included. The bin keeps a per-user V8 code cache; the bench
// gives it an empty cache folder of its own, so the first run shows the cost without a cache
// (and of writing it) and the percentiles the runs a technician makes after that.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile, type BenchResult } from './report';
import { thirtyTwoE1Scenario } from './sim-bench';

export function diagScanProcess(runs: number, cliPath: string): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'tdmgate-bench-'));
  const scenario = join(dir, '32-e1.yaml');
  writeFileSync(scenario, thirtyTwoE1Scenario());
  const args = [cliPath, 'diag', 'scan', '--json', '--backend', 'sim', '--scenario', scenario];
  const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, args, { encoding: 'utf8', env });
    times.push(performance.now() - t0);
    const spans = run.stdout ? (JSON.parse(run.stdout) as { spans?: unknown[] }).spans : undefined;
    if (!Array.isArray(spans) || spans.length !== 32) {
      throw new Error(`diag scan did not list 32 spans (exit ${run.status}): ${run.stderr.slice(0, 400)}`);
    }
  }
  // Node's own start-up on this machine, measured the same way: the floor under every figure above.
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t0);
  }
  rmSync(dir, { recursive: true, force: true });
  const [first, ...cached] = times;
  return [
    { name: 'node -e 0 (start-up floor), p50', value: percentile(bare, 50), unit: 'ms/process', goal: '' },
    { name: 'diag scan --json, first run (no code cache)', value: first ?? Number.NaN, unit: 'ms/process', goal: '' },
    { name: 'diag scan --json, 32 sim spans, p50', value: percentile(cached, 50), unit: 'ms/process', goal: '' },
    { name: 'diag scan --json, 32 sim spans, p90', value: percentile(cached, 90), unit: 'ms/process', goal: '< 150' },
  ];
}
