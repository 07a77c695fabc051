// `tdmgate diag scan`: cards, driver, spans with alarms and counters, channel use. Exit code
// is the health of the spans (alarms only: a single reading has no counter rates).

import { diagnoseSpans } from '../../diagnostics/explain';
import { healthCode, healthWord, type HealthCode } from '../../diagnostics/health';
import { collectScan, type ScanData, type ScanSpan } from '../../diagnostics/scan';
import type { OpenedBackend } from '../../hardware/open-backend';
import { COUNTER_NAMES, type CardInfo } from '../../hardware/types';
import { COMMON_OPTIONS, commonArgs, maxPositionals, parseCommand } from '../args';
import type { CliContext, Command } from '../command';
import { alarmText, counterCell, palette, writeLines, type Palette } from '../render';
import { backendJson, backendLine, withBackend } from './backend';

function cardLines(cards: readonly CardInfo[], p: Palette): string[] {
  if (cards.length === 0) return ['Cards: none found'];
  const lines = ['Cards:'];
  for (const card of cards) {
    const module = card.kernelModule
      ? `module ${card.kernelModule} (${card.moduleLoaded ? 'loaded' : card.driverAvailable ? 'not loaded' : p.red('no driver for this kernel')})`
      : p.yellow('no kernel module known');
    lines.push(`  ${card.location}  ${card.vendor} ${card.model}  ${card.ports} x ${card.portKind}  ${module}`);
    if (card.echoCanceller) lines.push(`    echo canceller: ${card.echoCanceller}`);
    for (const note of card.notes) lines.push(`    note: ${note}`);
  }
  return lines;
}

function clockText(syncSource: number): string {
  return syncSource > 0 ? `clock from span ${syncSource}` : 'clock: free run';
}

function usageText(span: ScanSpan): string {
  const u = span.usage;
  const inUse = u.inUse === null ? 'in use: n/a' : `${u.inUse} in use`;
  const counts = `channels: ${u.total} total, ${u.configured} configured, ${inUse}`;
  // Analog ports are neither B- nor D-channels; the ports line already says what each is.
  return span.ports ? counts : `${counts}, ${u.dChannels} D, ${u.bChannels} B`;
}

function spanLines(span: ScanSpan, p: Palette): string[] {
  const s = span.status;
  const head = `  Span ${s.span}  ${s.spanType === 'UNKNOWN' ? s.spanTypeText : s.spanType}  ${s.lineConfigNames.join('/') || '-'}  ${alarmText(s.alarmNames, p)}`;
  const lines = [head, `    ${s.name} "${s.description}"  driver ${s.driver}  ${clockText(s.syncSource)}`];
  if (span.ports) {
    const ports = span.ports.map((port) => `${port.channel}:${port.kind}${port.hook ? ` ${port.hook}` : ''}`);
    lines.push(`    ports: ${ports.join(', ') || 'none'}`);
    lines.push(`    ${usageText(span)}`);
    return lines;
  }
  lines.push(`    counters: ${COUNTER_NAMES.map((name) => `${name} ${counterCell(s.counters[name])}`).join('  ')}`);
  lines.push(`    ${usageText(span)}`);
  return lines;
}

export function renderScan(opened: OpenedBackend, data: ScanData, code: HealthCode, p: Palette): string[] {
  const lines = [backendLine(opened), `Driver: ${data.driver.backend} ${data.driver.version}, echo canceller: ${data.driver.echoCanceller || 'none'}`];
  lines.push(...cardLines(data.cards, p));
  lines.push(data.spans.length === 0 ? 'Spans: none' : 'Spans:');
  for (const span of data.spans) lines.push(...spanLines(span, p));
  lines.push(`Health: ${healthWord(code)} (exit ${code})`);
  if (data.spans.some((span) => COUNTER_NAMES.some((name) => span.status.counters[name] === null))) {
    lines.push(p.dim('n/a = not reported by this driver (unknown, not zero)'));
  }
  return lines;
}

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('diag scan', argv, scanCommand.options);
  maxPositionals('diag scan', positionals, 0);
  const args = commonArgs(values);
  return withBackend(args, async (opened) => {
    const data = await collectScan(opened.backend);
    const statuses = data.spans.map((span) => span.status);
    const code = healthCode(diagnoseSpans(statuses, null), statuses.length);
    if (args.json) {
      const spans = data.spans.map((span) => ({ ...span.status, usage: span.usage, ...(span.ports ? { ports: span.ports } : {}) }));
      const report = { backend: backendJson(opened), driver: data.driver, cards: data.cards, spans, health: { code, word: healthWord(code) } };
      ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      writeLines(ctx.stdout, renderScan(opened, data, code, palette(ctx.stdout, ctx.env)));
    }
    return code;
  });
}

export const scanCommand: Command = {
  name: 'diag scan',
  summary: 'cards, driver, spans with alarms and counters, channel use',
  usage: 'tdmgate diag scan [--json] [--backend sim|dahdi] [--scenario FILE]',
  options: COMMON_OPTIONS,
  run,
};
