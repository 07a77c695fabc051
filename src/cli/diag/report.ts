// `tdmgate diag report`: writes the support bundle (scan, findings, versions, configs, /proc,
// kernel messages, secrets removed) and says where it went and what was missing.

import os from 'node:os';
import { explainSpans } from '../../diagnostics/explain';
import { healthCode, healthWord } from '../../diagnostics/health';
import { measureSpans } from '../../diagnostics/measure';
import { collectScan } from '../../diagnostics/scan';
import { buildSupportBundle, collectVersions } from '../../diagnostics/support-bundle';
import { COMMON_OPTIONS, commonArgs, maxPositionals, parseCommand, secondsOption, stringOption } from '../args';
import type { CliContext, Command } from '../command';
import { PLAIN, renderFindings, writeLines } from '../render';
import { tdmgateVersion } from '../version';
import { backendJson, backendLine, withBackend } from './backend';
import { DEFAULT_WINDOW_SECONDS } from './explain';

export function defaultBundleName(at: Date, host: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `tdmgate-support-${host}-${stamp}.tar.gz`;
}

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('diag report', argv, reportCommand.options);
  maxPositionals('diag report', positionals, 0);
  const args = commonArgs(values);
  const out = stringOption(values, 'out') ?? defaultBundleName(new Date(), os.hostname());
  const windowSeconds = secondsOption('window', values.window, DEFAULT_WINDOW_SECONDS, 0);
  return withBackend(args, async (opened) => {
    const scan = await collectScan(opened.backend);
    const measured = await measureSpans(opened.backend, { windowSeconds, signal: ctx.signal });
    const findings = explainSpans(measured.spans, measured.rates, 'en');
    const code = healthCode(findings, measured.spans.length);
    const explainText = [backendLine(opened), '', ...renderFindings(findings, 'en', PLAIN), '', `Health: ${healthWord(code)} (exit ${code})`, ''].join('\n');
    const scanJson = JSON.stringify({ backend: backendJson(opened), ...scan, findings }, null, 2);
    const result = await buildSupportBundle({ out, scanJson, explainText, versions: collectVersions(tdmgateVersion(), scan.driver.version) });
    if (args.json) {
      ctx.stdout.write(`${JSON.stringify({ backend: backendJson(opened), ...result, health: { code, word: healthWord(code) } }, null, 2)}\n`);
      return 0;
    }
    const lines = [backendLine(opened), `Support bundle written: ${result.path} (${result.files.length} files, ${result.redactedLines} lines with secrets removed)`];
    if (result.missing.length > 0) lines.push('Not included (see MISSING.txt in the bundle):', ...result.missing.map((m) => `  ${m}`));
    lines.push(`Health at the time of the report: ${healthWord(code)}`);
    writeLines(ctx.stdout, lines);
    return 0;
  });
}

export const reportCommand: Command = {
  name: 'diag report',
  summary: 'write a support bundle (.tar.gz) with secrets removed',
  usage: 'tdmgate diag report [--out FILE] [--window SECONDS] [--json] [--backend sim|dahdi] [--scenario FILE]',
  options: { ...COMMON_OPTIONS, out: { type: 'string' }, window: { type: 'string' } },
  run,
};
