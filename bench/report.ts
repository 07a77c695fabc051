// What every benchmark returns and how the figures are printed: one aligned line each, so a
// run's output can be pasted into a note as it is; and how a section runs in a child node.

import { fork } from 'node:child_process';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target from the issue, as text ('>= 100000', '< 150'); empty when only informative. */
  goal: string;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Whether a figure meets its goal ('>= N' or '< N'); null when there is no goal. */
export function meetsGoal(result: BenchResult): boolean | null {
  const m = /^(>=|<=|<|>)\s*([\d.]+)$/.exec(result.goal.trim());
  if (!m) return null;
  const limit = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return result.value >= limit;
    case '<=':
      return result.value <= limit;
    case '<':
      return result.value < limit;
    default:
      return result.value > limit;
  }
}

export function formatResult(r: BenchResult): string {
  const value = r.value >= 1000 ? Math.round(r.value).toLocaleString('en-US') : r.value.toFixed(2);
  const verdict = meetsGoal(r);
  const goal = r.goal ? `goal ${r.goal}${verdict === null ? '' : verdict ? ' - met' : ' - MISSED'}` : '';
  return `${r.name.padEnd(48)} ${value.padStart(12)} ${r.unit.padEnd(16)} ${goal}`;
}

export type BenchSection = [title: string, run: () => Promise<BenchResult[]>];

/** Runs each section in turn and prints its figures under a heading; a bench's whole main. */
export function runSections(sections: readonly BenchSection[]): void {
  (async () => {
    for (const [title, run] of sections) {
      console.log(`\n## ${title}`);
      for (const r of await run()) console.log(formatResult(r));
    }
  })().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

/**
 * Runs a bench file in a fresh node with --expose-gc and takes its figures over IPC: RSS and CPU
 * in the bench's own process would hold every earlier section's heap. The file, run as a child,
 * sends its BenchResult[] with process.send.
 */
export function inChildProcess(file: string, what: string): Promise<BenchResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(file, [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let results: BenchResult[] | null = null;
    child.on('message', (m: BenchResult[]) => (results = m));
    child.on('error', reject);
    child.on('exit', (code) => (results ? resolve(results) : reject(new Error(`the ${what} bench exited with ${code ?? 'a signal'} and no figures`))));
  });
}

/** A bench file's own entry: its figures over IPC to the section runner, or printed when run alone. */
export function runBench(measure: () => Promise<BenchResult[]>): void {
  measure()
    .then((results) => {
      if (process.send) process.send(results, () => process.disconnect());
      else for (const r of results) console.log(formatResult(r));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
