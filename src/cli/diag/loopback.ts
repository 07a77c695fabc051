// `tdmgate diag loopback <span>`: loop a span (local or network line), observe it, give a
// verdict, and always take the loop down - Ctrl-C included.

import { EXIT_CODES } from '../../diagnostics/health';
import { LOOPBACK_MODES, runLoopbackTest, type LoopbackResult, type LoopbackVerdict } from '../../diagnostics/loopback-test';
import { COMMON_OPTIONS, commonArgs, maxPositionals, oneOf, parseCommand, secondsOption, spanArgument, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { palette, writeLines, type Palette } from '../render';
import { backendJson, backendLine, withBackend } from './backend';

const DEFAULT_SECONDS = 10;

const VERDICT_EXIT: Record<LoopbackVerdict, number> = {
  pass: EXIT_CODES.OK,
  refused: EXIT_CODES.WARNING,
  fail: EXIT_CODES.ALARM,
  unsupported: EXIT_CODES.UNKNOWN,
  aborted: EXIT_CODES.INTERRUPTED,
};

/** A loop that could not be taken down leaves the span out of service: that is an alarm. */
export function loopbackExitCode(result: LoopbackResult): number {
  return result.restored === false ? EXIT_CODES.ALARM : VERDICT_EXIT[result.verdict];
}

function verdictWord(verdict: LoopbackVerdict, p: Palette): string {
  const word = verdict.toUpperCase();
  if (verdict === 'pass') return p.bold(p.green(word));
  if (verdict === 'fail') return p.bold(p.red(word));
  return p.bold(p.yellow(word));
}

export function renderLoopback(result: LoopbackResult, p: Palette): string[] {
  const lines = [`${verdictWord(result.verdict, p)}: span ${result.span}, ${result.mode} loop`];
  for (const reason of result.reasons) lines.push(`  ${reason}`);
  if (result.verdict === 'pass') lines.push('  alarms stayed clear and error counters stayed flat');
  if (result.verdict === 'pass' && result.mode === 'local') lines.push('  the port and the card are good; if the span fails on the line, look at the cable and the carrier');
  if (result.restored === true) lines.push('  loop taken down (maintenance mode none)');
  if (result.restored === false) lines.push(p.bold(p.red(`  THE SPAN MAY STILL BE LOOPED: run dahdi_maint -s ${result.span} -l off`)));
  return lines;
}

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('diag loopback', argv, loopbackCommand.options);
  maxPositionals('diag loopback', positionals, 1);
  const args = commonArgs(values);
  if (positionals[0] === undefined) throw new UsageError('diag loopback needs a span number, e.g. tdmgate diag loopback 1');
  const span = spanArgument(positionals[0]);
  const mode = oneOf('mode', values.mode, LOOPBACK_MODES) ?? 'local';
  const seconds = secondsOption('seconds', values.seconds, DEFAULT_SECONDS, 1);
  return withBackend(args, async (opened) => {
    if (!args.json) {
      ctx.stdout.write(`${backendLine(opened)}\nLooping span ${span} (${mode}) for ${seconds} s; Ctrl-C stops the test and takes the loop down.\n`);
    }
    const result = await runLoopbackTest(opened.backend, { span, mode, seconds, signal: ctx.signal });
    if (args.json) ctx.stdout.write(`${JSON.stringify({ backend: backendJson(opened), ...result }, null, 2)}\n`);
    else writeLines(ctx.stdout, renderLoopback(result, palette(ctx.stdout, ctx.env)));
    return loopbackExitCode(result);
  });
}

export const loopbackCommand: Command = {
  name: 'diag loopback',
  summary: 'loop a span (local or network line), observe it, verdict pass/fail/unsupported',
  usage: 'tdmgate diag loopback SPAN [--mode local|network] [--seconds N] [--json] [--backend sim|dahdi] [--scenario FILE]',
  options: { ...COMMON_OPTIONS, mode: { type: 'string' }, seconds: { type: 'string' } },
  run,
};
