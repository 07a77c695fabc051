// `tdmgate provision apply SITE` and `provision apply --rollback`: the apply engine wired to
// the real edges (files, dahdi_cfg, ARI, the hardware backend), with a live line per span on a
// terminal and plain lines otherwise (one JSON report with --json).

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { applyFiles, type ApplyDeps, type ApplyEvent, type ApplyReport } from '../../provisioning/apply/apply';
import { ariSettings, type AriSettings, type FetchLike } from '../../provisioning/apply/ari-reload';
import { nodeSpawner, type CfgResult } from '../../provisioning/apply/dahdi-cfg';
import { nodeFileOps } from '../../provisioning/apply/file-ops';
import { planRollback, removals, rollbackLatest, type RollbackFile, type RollbackPlan } from '../../provisioning/apply/rollback';
import { findDialplanInclude, type DialplanInclude } from '../../provisioning/apply/dialplan-include';
import { installable, modprobeOverrides, readSpanAssignment, type SpanAssignment } from '../../provisioning/apply/span-assignment';
import { inboundContexts } from '../../provisioning/site/inbound-contexts';
import type { SiteConfig } from '../../provisioning/site/site-types';
import type { SpanProgress } from '../../provisioning/apply/span-watch';
import { isProvisioningError } from '../../provisioning/errors';
import { TARGETS } from '../../provisioning/generate';
import { DEFAULT_DEV_DIR, openBackend, type OpenedBackend } from '../../hardware/open-backend';
import { flag, parseCommand, secondsOption, stringOption, UsageError, type ParsedValues } from '../args';
import type { CliContext, Command, Output } from '../command';
import { alarmText, palette, type Palette } from '../render';
import {
  changeLine, compileSite, detectedHardware, HARDWARE_OPTIONS, hardwareChoice, issueLine, PROVISION_EXIT, PROVISION_HELP, PROVISION_OPTIONS, provisionArgs,
  reportSiteError,
} from './common';

const OPTIONS = {
  ...PROVISION_OPTIONS,
  ...HARDWARE_OPTIONS,
  'dry-run': { type: 'boolean' },
  rollback: { type: 'boolean' },
  force: { type: 'boolean' },
  timeout: { type: 'string' },
  'dahdi-cfg': { type: 'string' },
  'ari-url': { type: 'string' },
  'ari-user': { type: 'string' },
  'ari-timeout': { type: 'string' },
} as const;

const DEFAULT_TIMEOUT_S = 60;
const DEFAULT_ARI_TIMEOUT_S = 5;
/** A span must stay free of alarms this long to count as up (a framer needs a moment after dahdi_cfg). */
const SETTLE_MS = 1500;
const DAHDI_CFG_TIMEOUT_MS = 60_000;

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function spanText(p: SpanProgress, pal: Palette): string {
  const state = p.state === 'up' ? pal.green('up') : p.state === 'missing' ? pal.yellow('not present') : alarmText(p.alarms, pal);
  const waiting = p.state === 'up' ? '' : ' (waiting)';
  return `${p.label.padEnd(24)} ${state}${waiting}  ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** Steps as lines; spans as a block redrawn in place on a terminal, appended lines otherwise. */
function progressPrinter(out: Output, tty: boolean, pal: Palette): (event: ApplyEvent) => void {
  const spans = new Map<string, string>();
  let drawn = 0;
  return (event) => {
    if (event.kind === 'step') {
      out.write(`${tty ? '' : `${clock()} `}${pal.bold(event.step)}: ${event.detail}\n`);
      drawn = 0;
      return;
    }
    const line = spanText(event.progress, pal);
    spans.set(event.progress.label, line);
    if (!tty) {
      out.write(`${clock()} ${line}\n`);
      return;
    }
    const up = drawn > 0 ? `\x1b[${drawn}A` : '';
    out.write(`${up}${[...spans.values()].map((l) => `\r\x1b[2K  ${l}\n`).join('')}`);
    drawn = spans.size;
  };
}

function cfgUnavailable(results: readonly CfgResult[]): boolean {
  return results.some((r) => !r.ok && (r.code === null || /Unable to open master device/.test(r.output)));
}

/** Whether Asterisk reads the dialplan file; null when the site generates no context to read. */
async function dialplanInclude(site: SiteConfig, root: string): Promise<DialplanInclude | null> {
  if (site.routing === null || inboundContexts(site).length === 0) return null;
  return findDialplanInclude(nodeFileOps, root);
}

function exitCodeOf(report: ApplyReport, warnings: number): number {
  const cfg = [report.dahdiCfg.test, ...report.dahdiCfg.runs].filter((r): r is CfgResult => r !== null);
  if (report.outcome === 'rejected' || report.outcome === 'rolled-back') return cfgUnavailable(cfg) ? PROVISION_EXIT.UNAVAILABLE : PROVISION_EXIT.DATA_ERROR;
  if (report.outcome === 'write-failed') return PROVISION_EXIT.IO_ERROR;
  if (report.watch && !report.watch.allUp) return PROVISION_EXIT.SPANS_DOWN;
  if (report.reload.status === 'failed' || report.dialplanReload.status === 'failed' || warnings > 0) return PROVISION_EXIT.WARNING;
  return PROVISION_EXIT.OK;
}

const OUTCOME_TEXT: Record<ApplyReport['outcome'], string> = {
  applied: 'applied',
  unchanged: 'nothing to change: the installed files already match',
  'dry-run': 'dry run: nothing was written, dahdi_cfg not run for real',
  rejected: 'refused by dahdi_cfg -t: nothing was written',
  'rolled-back': 'dahdi_cfg failed: the previous files were put back automatically',
  'write-failed': 'writing failed: the previous files are in place',
};

const UNDO_COMMAND = 'tdmgate provision apply --rollback';

/**
 * How to undo this apply, or null when there is nothing to undo: only an apply that left its new
 * files on disk can be undone. A failed one already put the old files back (its backup is marked
 * restored), and following a hint there would undo the apply before it instead.
 */
function undoOf(report: ApplyReport): { command: string; backup: string } | null {
  return report.outcome === 'applied' && report.backup !== null ? { command: UNDO_COMMAND, backup: report.backup } : null;
}

function summary(report: ApplyReport, pal: Palette): string[] {
  const lines = ['Files:', ...report.changes.map(changeLine)];
  const undo = undoOf(report);
  if (undo) lines.push(`Backup: ${undo.backup} (undo with: ${undo.command})`);
  else if (report.backup) lines.push(`Backup: ${report.backup} (the previous files are in place: nothing to undo)`);
  const plan = report.dahdiCfg.plan;
  if (report.dahdiCfg.testSkipped) lines.push(`dahdi_cfg -t: never ran - ${report.dahdiCfg.testSkipped}`);
  if (plan) {
    const ran = report.dahdiCfg.runs.map((r) => `dahdi_cfg ${r.args.join(' ')}: ${r.ok ? 'ok' : 'FAILED'}`);
    lines.push(`dahdi_cfg: ${plan.reason}`, ...ran.map((l) => `  ${l}`));
  }
  if (report.dialplanReload.status !== 'skipped' || report.changes.some((c) => c.target === TARGETS.dialplan && c.status !== 'unchanged')) {
    lines.push(`Asterisk: ${report.dialplanReload.message}`);
  }
  lines.push(`Asterisk: ${report.reload.message}`);
  if (report.watch) {
    lines.push(report.watch.allUp ? 'Spans: all up' : `Spans: ${report.watch.spans.filter((s) => s.state !== 'up').length} not up${report.watch.timedOut ? ' after the timeout' : ''}`);
    for (const span of report.watch.spans) lines.push(`  ${spanText(span, pal)}`);
  }
  for (const error of report.errors) lines.push(pal.red(`error: ${error}`));
  lines.push(`Result: ${OUTCOME_TEXT[report.outcome]}`);
  return lines;
}

/** Where the running dahdi module shows its options. */
const SYS_ROOT = '/sys';

/** What a dry run did not check, each with why: the gaps to close before trusting it. */
interface Unchecked {
  what: string;
  why: string;
}

function dryRunGaps(report: ApplyReport, checkedAgainst: string | null, assignment: SpanAssignment): Unchecked[] {
  const gaps: Unchecked[] = [];
  if (report.dahdiCfg.testSkipped) gaps.push({ what: 'dahdi_cfg -t (syntax, channels and signalling the driver refuses, echo canceller modules)', why: report.dahdiCfg.testSkipped });
  if (checkedAgainst === null) {
    gaps.push({ what: 'the site against the cards (span count, locations, port layout, line types, FXO/FXS modules)', why: 'no DAHDI driver here and no --scenario: rehearse with --backend sim --scenario FILE' });
  }
  if (assignment.mode === 'unknown') gaps.push({ what: 'whether assigned-spans.conf takes effect', why: assignment.message });
  gaps.push({ what: 'the dahdi_cfg run, the chan_dahdi reload and the spans coming up', why: 'a dry run stops before them' });
  return gaps;
}

function notCheckedLines(gaps: readonly Unchecked[]): string[] {
  return gaps.length === 0 ? [] : ['Not checked:', ...gaps.map((g) => `  - ${g.what}: ${g.why}`)];
}

/** Only when the site has contexts for Asterisk to read; loud when Asterisk does not read them. */
function includeLines(include: DialplanInclude | null, pal: Palette): string[] {
  if (include === null) return [];
  return include.included ? [`Dialplan: ${include.message}`] : [pal.yellow(`Dialplan: ${include.message}`), `  ${include.includeLine}`];
}

/** Only when it matters: the driver ignores the pin files, the modprobe option was held back, or DAHDI is here and honours them. */
function assignmentLines(assignment: SpanAssignment, pal: Palette): string[] {
  if (assignment.mode === 'kernel' || assignment.modprobe === 'held' || assignment.overrides.length > 0) return [pal.yellow(`Span numbers: ${assignment.message}`)];
  if (assignment.mode === 'files') return [`Span numbers: ${assignment.message}`];
  return [];
}

const ACTION_TEXT: Record<RollbackFile['action'], string> = {
  restore: 'restore  ',
  remove: 'REMOVE   ',
  unchanged: 'unchanged',
};

/** What a rollback will do, file by file, before it does anything. */
function planLines(plan: RollbackPlan, dryRun: boolean): string[] {
  const head = `Rollback to the backup of ${plan.backup.createdAt} (${plan.backup.dir})${dryRun ? ' - dry run, nothing will change' : ''}:`;
  const files = plan.files.map((f) => `  ${ACTION_TEXT[f.action]}  ${f.target}${f.action === 'remove' ? '  (not in the backup: it did not exist then)' : ''}`);
  return [head, ...files];
}

async function runRollback(ctx: CliContext, applyDeps: ApplyDeps, args: { json: boolean; root: string }, opts: { dryRun: boolean; force: boolean; pal: Palette }): Promise<number> {
  const plan = await planRollback(applyDeps.ops, args.root);
  if (!args.json) ctx.stdout.write(`${planLines(plan, opts.dryRun).join('\n')}\n`);
  try {
    const report = await rollbackLatest(applyDeps, args.root, plan, { dryRun: opts.dryRun, force: opts.force });
    if (args.json) ctx.stdout.write(`${JSON.stringify({ rollback: true, ...report }, null, 2)}\n`);
    else ctx.stdout.write(`${summary(report, opts.pal).join('\n')}\n`);
    return exitCodeOf(report, 0);
  } catch (err) {
    if (!isProvisioningError(err, 'ROLLBACK_REMOVES')) throw err;
    if (args.json) ctx.stdout.write(`${JSON.stringify({ rollback: true, ok: false, code: err.code, message: err.message, removes: removals(plan), plan }, null, 2)}\n`);
    else ctx.stderr.write(`tdmgate: ${err.message}\n`);
    return PROVISION_EXIT.USAGE;
  }
}

interface Edges {
  opened: () => Promise<OpenedBackend>;
  onEvent: (event: ApplyEvent) => void;
  values: ParsedValues;
}

function ari(values: ParsedValues, env: CliContext['env']): AriSettings | null {
  const url = stringOption(values, 'ari-url');
  const user = stringOption(values, 'ari-user');
  try {
    return ariSettings({ ...(url ? { url } : {}), ...(user ? { user } : {}) }, env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function deps(ctx: CliContext, edges: Edges): ApplyDeps {
  const devDir = ctx.env.TDMGATE_DAHDI_DEV ?? DEFAULT_DEV_DIR;
  return {
    ops: nodeFileOps,
    spawn: nodeSpawner,
    fetch: fetch as unknown as FetchLike,
    now: () => new Date(),
    backend: async () => (await edges.opened()).backend,
    scratchDir: tmpdir(),
    dahdiCfg: { bin: stringOption(edges.values, 'dahdi-cfg') ?? 'dahdi_cfg', timeoutMs: DAHDI_CFG_TIMEOUT_MS, testFirst: existsSync(`${devDir}/ctl`), ctlPath: `${devDir}/ctl` },
    ari: ari(edges.values, ctx.env),
    ariTimeoutMs: secondsOption('ari-timeout', edges.values['ari-timeout'], DEFAULT_ARI_TIMEOUT_S, 0.1) * 1000,
    watchTimeoutMs: secondsOption('timeout', edges.values.timeout, DEFAULT_TIMEOUT_S, 0) * 1000,
    settleMs: SETTLE_MS,
    onEvent: edges.onEvent,
    signal: ctx.signal,
  };
}

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('provision apply', argv, OPTIONS);
  const args = provisionArgs(values);
  const rollback = flag(values, 'rollback');
  const dryRun = flag(values, 'dry-run');
  if (flag(values, 'force') && !rollback) throw new UsageError('--force goes with --rollback only (it allows removing files the backup predates)');
  if (rollback && positionals.length > 0) throw new UsageError('provision apply --rollback takes no site file: it restores the latest backup');
  if (!rollback && positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'provision apply needs a site file: tdmgate provision apply SITE.yaml' : `provision apply: unexpected argument '${positionals[1]}'`);
  const choice = hardwareChoice(values);
  const tty = ctx.stdout.isTTY === true && !args.json;
  const pal = palette(ctx.stdout, ctx.env);
  let opened: OpenedBackend | null = null;
  const open = async () => (opened ??= await openBackend({ ...(choice.backend ? { backend: choice.backend } : {}), ...(choice.scenario !== undefined ? { scenario: choice.scenario } : {}) }));
  const onEvent = args.json ? () => undefined : progressPrinter(ctx.stdout, tty, pal);
  const applyDeps = deps(ctx, { opened: open, onEvent, values });
  const file = positionals[0] ?? '';
  try {
    if (rollback) return await runRollback(ctx, applyDeps, args, { dryRun, force: flag(values, 'force'), pal });
    let compiled;
    let hardware;
    try {
      hardware = await detectedHardware(ctx.env, choice);
      compiled = await compileSite(file, args, hardware?.facts);
    } catch (err) {
      return reportSiteError(ctx, file, args.json, err);
    }
    if (!args.json) for (const warning of compiled.loaded.warnings) ctx.stderr.write(`${issueLine(file, warning)}\n`);
    const { files, modprobe } = await installable(nodeFileOps, args.root, compiled.files);
    const report = await applyFiles(applyDeps, { files, root: args.root, dryRun, site: compiled.loaded.source, takeBackup: true });
    const spanAssignment = await readSpanAssignment(SYS_ROOT, modprobe, await modprobeOverrides(nodeFileOps, args.root));
    const dialplan = await dialplanInclude(compiled.loaded.site, args.root);
    const notChecked = report.outcome === 'dry-run' ? dryRunGaps(report, hardware?.source ?? null, spanAssignment) : [];
    if (args.json) {
      const checkedAgainst = hardware?.source ?? null;
      ctx.stdout.write(`${JSON.stringify({ site: compiled.loaded.source, warnings: compiled.loaded.warnings, checkedAgainst, ...report, spanAssignment, dialplan, notChecked, undo: undoOf(report) }, null, 2)}\n`);
    } else {
      ctx.stdout.write(`${[...summary(report, pal), ...includeLines(dialplan, pal), ...assignmentLines(spanAssignment, pal), ...notCheckedLines(notChecked)].join('\n')}\n`);
    }
    const code = exitCodeOf(report, compiled.loaded.warnings.length);
    // Files in place but not acting (routing not included, the modprobe option overridden): as a
    // failed reload, a warning (only where exit would be 0).
    const inactive = dialplan?.included === false || spanAssignment.overrides.length > 0;
    return code === PROVISION_EXIT.OK && inactive && (report.outcome === 'applied' || report.outcome === 'unchanged') ? PROVISION_EXIT.WARNING : code;
  } catch (err) {
    if (isProvisioningError(err, 'ROLLBACK_UNAVAILABLE') || isProvisioningError(err, 'ROLLBACK_CHANGED')) {
      ctx.stderr.write(`tdmgate: ${err.message}\n`);
      return PROVISION_EXIT.DATA_ERROR;
    }
    throw err;
  } finally {
    if (opened) await (opened as OpenedBackend).backend.close();
  }
}

export const provisionApplyCommand: Command = {
  name: 'provision apply',
  summary: 'write the files atomically (with a backup), run dahdi_cfg, reload the dialplan and chan_dahdi, watch the spans',
  usage: [
    'tdmgate provision apply SITE [--timeout S] [--dry-run] [--json] [--root DIR]',
    '                        [--backend sim|dahdi] [--scenario FILE] [--dahdi-cfg PATH]',
    '                        [--ari-url URL --ari-user USER] [--ari-timeout S]   (password: TDMGATE_ARI_PASSWORD)',
    '       tdmgate provision apply --rollback [--dry-run] [--force] [--root DIR] [--json]',
    '         (shows which backup and what each file gets; removing a file the backup predates',
    '          needs --force, else exit 64 and nothing changes)',
  ].join('\n'),
  options: OPTIONS,
  help: PROVISION_HELP,
  run,
};
