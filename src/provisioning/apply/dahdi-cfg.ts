// Running dahdi_cfg: what to run (the whole file, or `-S N -C chans` for just the spans whose
// lines changed, so the other spans keep their calls), running it through an injected spawn,
// and turning its generic complaints ("DAHDI_CHANCONFIG failed on channel 16: Invalid
// argument") into messages naming the system.conf line and what usually causes them.
// dahdi-tools 3.1.0 refuses -S without -C ("-S requires -C"), so both are always given.

import { spawn as nodeSpawn } from 'node:child_process';
import { lineOfChannel, parseSystemConf, SIGNALLING_KEYS, systemConfShape, type ConfLine } from './system-conf';

export interface SpawnResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started (ENOENT) or was killed by the timeout. */
  error?: string;
}

export type Spawner = (command: string, args: readonly string[], timeoutMs: number) => Promise<SpawnResult>;

export const nodeSpawner: Spawner = (command, args, timeoutMs) =>
  new Promise((resolve) => {
    const child = nodeSpawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const error = err.code === 'ENOENT' ? `${command} not found (install dahdi-tools, or give --dahdi-cfg PATH)` : err.message;
      resolve({ code: null, stdout, stderr, error });
    });
    child.on('close', (code, signal) => resolve({ code, stdout, stderr, ...(signal ? { error: `${command} killed by ${signal} (timed out after ${timeoutMs} ms?)` } : {}) }));
  });

export type CfgPlan =
  | { kind: 'none'; reason: string }
  | { kind: 'all'; reason: string }
  | { kind: 'spans'; spans: Array<{ span: number; channels: string }>; reason: string };

/** "1-15,17-31" from [1..15, 17..31]: the -C argument. */
export function rangeList(channels: readonly number[]): string {
  const sorted = [...new Set(channels)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j += 1;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function sameLines(a: readonly ConfLine[] | undefined, b: readonly ConfLine[]): boolean {
  return a !== undefined && a.length === b.length && a.every((line, i) => line.key === b[i]?.key && line.value === b[i]?.value);
}

/** What dahdi_cfg has to do to take the running driver from `before` to `after`. */
export function planDahdiCfg(before: string | null, after: string): CfgPlan {
  if (before === after) return { kind: 'none', reason: 'system.conf is unchanged: dahdi_cfg not run' };
  if (before === null) return { kind: 'all', reason: 'system.conf is new' };
  const next = systemConfShape(after);
  const prev = systemConfShape(before);
  if (next.dynamicNames.length > 0) return { kind: 'all', reason: 'dynamic spans are created only by a full dahdi_cfg run' };
  if (!sameLines(prev.globalLines, next.globalLines)) return { kind: 'all', reason: 'lines outside the span blocks changed (tone zones, echo cancellers, analog ports)' };
  if (next.spans.some((block) => !Number.isInteger(block.span) || block.channels.length === 0)) return { kind: 'all', reason: 'a span line without channels' };
  if (prev.spans.some((block) => !next.spans.some((n) => n.span === block.span))) return { kind: 'all', reason: 'a span was removed' };
  const prevBySpan = new Map(prev.spans.map((block) => [block.span, block]));
  const changed = next.spans.filter((block) => !sameLines(prevBySpan.get(block.span)?.lines, block.lines));
  if (changed.length === 0) return { kind: 'none', reason: 'system.conf changed only in comments: dahdi_cfg not run' };
  const names = changed.map((block) => block.span).join(', ');
  return {
    kind: 'spans',
    spans: changed.map((block) => ({ span: block.span, channels: rangeList(block.channels) })),
    reason: `only span ${names} changed: the other spans are not restarted`,
  };
}

/** The dahdi_cfg command lines a plan runs, each `-c file` first. */
export function cfgCommands(plan: CfgPlan, confPath: string): string[][] {
  if (plan.kind === 'none') return [];
  if (plan.kind === 'all') return [['-c', confPath]];
  return plan.spans.map((s) => ['-c', confPath, '-S', String(s.span), '-C', s.channels]);
}

export interface CfgProblem {
  /** Line in system.conf, when the complaint can be pinned to one. */
  line?: number;
  message: string;
  hint?: string;
}

function echoLine(lines: readonly ConfLine[], channel: number): ConfLine | undefined {
  return lineOfChannel(lines, channel, new Set(['echocanceller']));
}

/** Tab-indented "Possible causes" that dahdi_cfg prints after a CHANCONFIG EINVAL. */
function causesAfter(stderrLines: readonly string[], index: number): string | undefined {
  const causes: string[] = [];
  for (let i = index + 1; i < stderrLines.length; i += 1) {
    const text = stderrLines[i] ?? '';
    if (text.startsWith('\t')) causes.push(text.trim());
    else if (!/^(Selected signaling not supported|Possible causes:)/.test(text)) break;
  }
  return causes.length > 0 ? `dahdi_cfg suggests: ${causes.join('; ')}` : undefined;
}

function problemOf(text: string, index: number, all: readonly string[], lines: readonly ConfLine[]): CfgProblem | null {
  // dahdi_cfg reports this one as "line 0:" - it is about the driver, not the file.
  if (/Unable to open master device/.test(text)) return { message: text.replace(/^line \d+: /, ''), hint: 'DAHDI is not loaded (modprobe dahdi and the card driver) or dahdi_cfg is not run as root' };
  let m = /^line (\d+): (.*)$/.exec(text);
  if (m) return Number(m[1]) > 0 ? { line: Number(m[1]), message: m[2] ?? '' } : { message: m[2] ?? '' };
  m = /DAHDI_CHANCONFIG failed on channel (\d+): (.*)$/.exec(text);
  if (m) {
    const at = lineOfChannel(lines, Number(m[1]), SIGNALLING_KEYS);
    const hint = causesAfter(all, index) ?? 'the channel does not exist (check span numbering: dahdi_scan, assigned-spans.conf) or its card cannot do this signalling';
    return { ...(at ? { line: at.line } : {}), message: `the driver refused the signalling of channel ${m[1]}: ${m[2]}`, hint };
  }
  m = /DAHDI_ATTACH_ECHOCAN failed on channel (\d+): (.*)$/.exec(text);
  if (m) {
    const at = echoLine(lines, Number(m[1]));
    const name = at?.value.split(',')[0]?.trim();
    const hint = name ? `load the echo canceller module (modprobe dahdi_echocan_${name}) or choose another echo canceller` : 'the echo canceller module is not loaded';
    return { ...(at ? { line: at.line } : {}), message: `cannot attach the echo canceller to channel ${m[1]}: ${m[2]}`, hint };
  }
  m = /DAHDI_SPANCONFIG failed on span (\d+): (.*)$/.exec(text);
  if (m) {
    const at = lines.find((l) => l.key === 'span' && Number.parseInt(l.value, 10) === Number(m?.[1]));
    return { ...(at ? { line: at.line } : {}), message: `the driver refused the settings of span ${m[1]}: ${m[2]}`, hint: 'the span does not exist, or its card does not take this line type/framing/coding (dahdi_scan shows the spans)' };
  }
  m = /DAHDI dynamic span creation failed: (.*)$/.exec(text);
  if (m) {
    const at = lines.find((l) => l.key === 'dynamic');
    return { ...(at ? { line: at.line } : {}), message: `cannot create a dynamic span: ${m[1]}`, hint: 'load the dahdi_dynamic driver module the dynamic= line names' };
  }
  if (/Timeout waiting for all spans to be assigned/.test(text)) return { message: text, hint: 'spans are not assigned: check auto_assign_spans and /etc/dahdi/assigned-spans.conf (dahdi_span_assignments list)' };
  m = /^DAHDI (startup|shutdown) failed: (.*)$/.exec(text);
  if (m) return { message: text };
  return null;
}

/** Problems in dahdi_cfg's stderr, pinned to system.conf lines where it says enough to do so. */
export function explainDahdiCfg(stderr: string, confText: string): CfgProblem[] {
  const lines = parseSystemConf(confText);
  const all = stderr.split('\n');
  return all.flatMap((text, i) => problemOf(text, i, all, lines) ?? []);
}

export interface CfgResult {
  args: string[];
  ok: boolean;
  code: number | null;
  output: string;
  problems: CfgProblem[];
}

export interface DahdiCfgRun {
  spawn: Spawner;
  /** The dahdi_cfg program (default: dahdi_cfg on PATH). */
  bin: string;
  timeoutMs: number;
  /** The text dahdi_cfg reads, for pinning its complaints to lines. */
  confText: string;
}

export async function runDahdiCfg(run: DahdiCfgRun, args: readonly string[]): Promise<CfgResult> {
  const r = await run.spawn(run.bin, args, run.timeoutMs);
  const ok = r.code === 0 && r.error === undefined;
  const output = `${r.stdout}${r.stderr}`;
  let problems = ok ? [] : explainDahdiCfg(r.stderr, run.confText);
  if (!ok && problems.length === 0) {
    const tail = r.stderr.trim().split('\n').slice(-3).join(' / ');
    problems = [{ message: r.error ?? (tail || `dahdi_cfg exited with code ${r.code ?? 'none'}`) }];
  }
  return { args: [...args], ok, code: r.code, output, problems };
}

/** Runs the plan's commands in order, stopping at the first that fails. */
export async function applyPlan(run: DahdiCfgRun, plan: CfgPlan, confPath: string): Promise<CfgResult[]> {
  const results: CfgResult[] = [];
  for (const args of cfgCommands(plan, confPath)) {
    const result = await runDahdiCfg(run, args);
    results.push(result);
    if (!result.ok) break;
  }
  return results;
}
