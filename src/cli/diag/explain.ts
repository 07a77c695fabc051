// `tdmgate diag explain [span]`: what the alarms and rising counters of each span mean and what
// to do next, in English or Chinese. Counters are read twice, --window seconds apart.

import { explainSpans } from '../../diagnostics/explain';
import { healthCode, healthWord } from '../../diagnostics/health';
import { measureSpans } from '../../diagnostics/measure';
import { label, LANGS } from '../../diagnostics/messages';
import { COMMON_OPTIONS, commonArgs, maxPositionals, oneOf, parseCommand, secondsOption, spanArgument } from '../args';
import type { CliContext, Command } from '../command';
import { palette, renderFindings, writeLines } from '../render';
import { backendJson, backendLine, withBackend } from './backend';

export const DEFAULT_WINDOW_SECONDS = 2;

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('diag explain', argv, explainCommand.options);
  maxPositionals('diag explain', positionals, 1);
  const args = commonArgs(values);
  const lang = oneOf('lang', values.lang, LANGS) ?? 'en';
  const windowSeconds = secondsOption('window', values.window, DEFAULT_WINDOW_SECONDS, 0);
  const span = positionals[0] === undefined ? undefined : spanArgument(positionals[0]);
  return withBackend(args, async (opened) => {
    const measured = await measureSpans(opened.backend, { ...(span !== undefined ? { span } : {}), windowSeconds, signal: ctx.signal });
    const findings = explainSpans(measured.spans, measured.rates, lang);
    const code = healthCode(findings, measured.spans.length);
    if (args.json) {
      const report = { backend: backendJson(opened), lang, windowSeconds: measured.windowSeconds, findings, health: { code, word: healthWord(code) } };
      ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return code;
    }
    const p = palette(ctx.stdout, ctx.env);
    const lines = [backendLine(opened), ''];
    if (measured.rates === null) lines.push(p.dim(label('noRates', lang)), '');
    lines.push(...(measured.spans.length === 0 ? [label('none', lang)] : renderFindings(findings, lang, p)));
    lines.push('', `Health: ${healthWord(code)} (exit ${code})`);
    writeLines(ctx.stdout, lines);
    return code;
  });
}

export const explainCommand: Command = {
  name: 'diag explain',
  summary: 'what each alarm and rising counter means, and what to do next (en, zh)',
  usage: 'tdmgate diag explain [SPAN] [--lang en|zh] [--window SECONDS] [--json] [--backend sim|dahdi] [--scenario FILE]',
  options: { ...COMMON_OPTIONS, lang: { type: 'string' }, window: { type: 'string' } },
  run,
};
