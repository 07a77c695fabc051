// What the `tdmgate provision` commands share: their options, exit codes, loading and
// generating a site (a ProvisioningError becomes every issue printed `file:line: path:
// message` and exit 65), and the lines that show what changed on disk.

import { statSync } from 'node:fs';
import { DEFAULT_DEV_DIR, openBackend } from '../../hardware/open-backend';
import { isProvisioningError, type ProvisioningError } from '../../provisioning/errors';
import { generateConfig, type GeneratedFile } from '../../provisioning/generate';
import type { ChanDahdiMode } from '../../provisioning/generate/types';
import { loadSiteFile } from '../../provisioning/site/load';
import type { HardwareFacts, LoadedSite, SiteIssue } from '../../provisioning/site/site-types';
import type { FileChange } from '../../provisioning/apply/apply';
import type { BackendKind } from '../../hardware/types';
import { BACKENDS, flag, oneOf, stringOption, UsageError, type OptionSpecs, type ParsedValues } from '../args';
import type { CliContext } from '../command';

export const PROVISION_EXIT = {
  OK: 0,
  /** The site has warnings, an ARI reload failed, or apply's files are in place but not acting (no #include, the modprobe option overridden). */
  WARNING: 1,
  /** diff: the installed files differ from the site's (diff(1)'s 1). */
  DIFFERS: 1,
  /** apply: the files are in place but a span is still in alarm (or missing) after --timeout. */
  SPANS_DOWN: 2,
  /** Also: `apply --rollback` would remove files the backup predates and --force was not given. */
  USAGE: 64,
  /** EX_DATAERR: the site file (or dahdi_cfg, on the generated system.conf) refused. */
  DATA_ERROR: 65,
  /** EX_UNAVAILABLE: dahdi_cfg could not be run at all (not installed, DAHDI not loaded). */
  UNAVAILABLE: 69,
  /** EX_IOERR: the files could not be written (the old ones are in place). */
  IO_ERROR: 74,
} as const;

export const PROVISION_OPTIONS = {
  json: { type: 'boolean' },
  root: { type: 'string' },
  'chan-dahdi-mode': { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export const PROVISION_HELP = [
  'Options of the provision commands:',
  '  --json                  machine-readable output',
  '  --root DIR              install prefix (default /): files go to DIR/etc/dahdi/...',
  '  --chan-dahdi-mode full|include  write chan_dahdi.conf, or an include file for an existing one',
  '  --dry-run               (apply, generate, import) show what would happen, write nothing',
  '  --backend sim|dahdi     (validate, apply) check the site against these cards; apply watches them',
  '  --scenario FILE         (validate, apply) simulated cards, e.g. a copy of the customer\'s (docs/sim-scenarios.md)',
  '  --force                 (apply --rollback) also remove files the backup predates',
  '  -h, --help              this help',
  '',
  'Exit codes: 0 ok, 1 warnings (site warnings, ARI reload failed, the dialplan not #included,',
  'auto_assign_spans=0 overridden by another modprobe file), 2 spans not up after apply,',
  '64 usage error (also: apply --rollback that would remove files, without --force), 65 invalid',
  'site or config refused by dahdi_cfg (every issue printed as file:line: path: message; nothing',
  'on disk changed), 69 dahdi_cfg could not run, 74 write failed.',
  'provision diff exits like diff(1): 0 the installed files match, 1 they differ (warnings do not',
  'change it); errors as above (64, 65).',
  'Details: docs/provision.md',
];

export const CHAN_DAHDI_MODES: readonly ChanDahdiMode[] = ['full', 'include'];

export interface ProvisionArgs {
  json: boolean;
  root: string;
  chanDahdiMode: ChanDahdiMode | undefined;
}

export function provisionArgs(values: ParsedValues): ProvisionArgs {
  const root = stringOption(values, 'root') ?? '/';
  if (root === '') throw new UsageError('--root needs a directory');
  return { json: flag(values, 'json'), root, chanDahdiMode: oneOf('chan-dahdi-mode', values['chan-dahdi-mode'], CHAN_DAHDI_MODES) };
}

export function siteArgument(command: string, positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError(`${command} needs a site file: tdmgate ${command} SITE.yaml`);
  if (positionals.length > 1) throw new UsageError(`${command}: unexpected argument '${positionals[1]}'`);
  return positionals[0] as string;
}

/** `site.yaml:12: cards[0].spans[1].framing: message` - what editors and grep understand. */
export function issueLine(file: string, issue: SiteIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}` : file;
  const tag = issue.severity === 'warning' ? 'warning: ' : '';
  // The checker's messages already start with their path; say it once.
  const body = issue.path && !issue.message.startsWith(`${issue.path}: `) ? `${issue.path}: ${issue.message}` : issue.message;
  return `${where}: ${tag}${body}`;
}

export function issueJson(file: string, issue: SiteIssue): SiteIssue & { file: string } {
  return { file, ...issue };
}

export interface CompiledSite {
  loaded: LoadedSite;
  files: GeneratedFile[];
}

/** --backend/--scenario: which cards to check the site against (validate) and watch (apply). */
export const HARDWARE_OPTIONS = {
  backend: { type: 'string' },
  scenario: { type: 'string' },
} as const satisfies OptionSpecs;

export interface HardwareChoice {
  backend: BackendKind | undefined;
  scenario: string | undefined;
}

/** A scenario is simulated cards: --scenario implies --backend sim, and contradicts dahdi. */
export function hardwareChoice(values: ParsedValues): HardwareChoice {
  const backend = oneOf('backend', values.backend, BACKENDS);
  const scenario = stringOption(values, 'scenario');
  if (scenario !== undefined && backend === 'dahdi') throw new UsageError('--scenario describes simulated cards: it goes with --backend sim, not dahdi');
  return { backend: scenario !== undefined ? 'sim' : backend, scenario };
}

/** The cards a site was checked against: their facts and, for the summary, what they are. */
export interface CheckedHardware {
  facts: HardwareFacts;
  /** One sentence: "DAHDI driver (/dev/dahdi exists)", "simulated cards (--backend sim), scenario box.yaml". */
  source: string;
  backend: BackendKind;
  scenario: string | null;
}

/**
 * The cards to check the site against (span count, pinned locations, port layout, linecompat,
 * sigcap): the ones asked for with --backend/--scenario - a simulated copy of a customer's cards
 * rehearses the checks before going on site - else the real cards when the DAHDI driver is
 * loaded here. Never the sim's invented box unasked: a site is not wrong for differing from it.
 */
export async function detectedHardware(env: CliContext['env'], choice: Partial<HardwareChoice> = {}): Promise<CheckedHardware | undefined> {
  const devDir = env.TDMGATE_DAHDI_DEV ?? DEFAULT_DEV_DIR;
  // Only a real driver's control node counts (tests stand a plain file in for dahdi_cfg -t).
  const driverHere = statSync(`${devDir}/ctl`, { throwIfNoEntry: false })?.isCharacterDevice() === true;
  if (choice.backend === undefined && !driverHere) return undefined;
  const opened = await openBackend({ backend: choice.backend ?? 'dahdi', devDir, ...(choice.scenario !== undefined ? { scenario: choice.scenario } : {}) });
  const { backend } = opened;
  try {
    const [spans, cards] = await Promise.all([backend.spans(), backend.cards()]);
    const channels = (await Promise.all(spans.map((s) => backend.channels(s.span)))).flat();
    return { facts: { spans, cards, channels }, source: opened.reason, backend: opened.chosen, scenario: choice.scenario ?? null };
  } finally {
    await backend.close();
  }
}

export async function compileSite(path: string, args: ProvisionArgs, hardware?: HardwareFacts): Promise<CompiledSite> {
  const loaded = await loadSiteFile(path, hardware ? { hardware } : {});
  const files = generateConfig(loaded.site, loaded.source, args.chanDahdiMode ? { chanDahdiMode: args.chanDahdiMode } : {});
  return { loaded, files };
}

/** Prints a refused site (errors and warnings) and returns 65; anything else is rethrown. */
export function reportSiteError(ctx: CliContext, file: string, json: boolean, err: unknown): number {
  if (!isProvisioningError(err)) throw err;
  const refused = err as ProvisioningError;
  const issues = refused.issues.length > 0 ? refused.issues : [{ path: '', message: refused.message, severity: 'error' as const }];
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ ok: false, code: refused.code, message: refused.message, issues: issues.map((i) => issueJson(file, i)) }, null, 2)}\n`);
  } else {
    for (const issue of issues) ctx.stderr.write(`${issueLine(file, issue)}\n`);
    const errors = issues.filter((i) => i.severity === 'error').length;
    ctx.stderr.write(`${file}: ${errors} error(s): nothing was written\n`);
  }
  return PROVISION_EXIT.DATA_ERROR;
}

export function changeLine(change: FileChange): string {
  if (change.status === 'unchanged') return `  unchanged  ${change.target}`;
  return `  ${change.status.padEnd(9)}  ${change.target}  (+${change.added} -${change.removed})`;
}
