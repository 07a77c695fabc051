// `tdmgate provision validate SITE`: every check of the site file, nothing written. Exit 0
// clean, 1 with warnings, 65 with errors (each printed file:line: path: message). With
// --backend/--scenario the site is also checked against those cards - a simulated copy of the
// customer's cards rehearses the hardware checks before going on site.

import { parseCommand } from '../args';
import type { CliContext, Command } from '../command';
import {
  compileSite, detectedHardware, HARDWARE_OPTIONS, hardwareChoice, issueJson, issueLine, PROVISION_EXIT, PROVISION_HELP, PROVISION_OPTIONS,
  provisionArgs, reportSiteError, siteArgument,
} from './common';

const OPTIONS = { ...PROVISION_OPTIONS, ...HARDWARE_OPTIONS } as const;

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('provision validate', argv, OPTIONS);
  const file = siteArgument('provision validate', positionals);
  const args = provisionArgs(values);
  const choice = hardwareChoice(values);
  try {
    const hardware = await detectedHardware(ctx.env, choice);
    // Generating too: a site the generators cannot render is not valid either.
    const { loaded, files } = await compileSite(file, args, hardware?.facts);
    const code = loaded.warnings.length > 0 ? PROVISION_EXIT.WARNING : PROVISION_EXIT.OK;
    if (args.json) {
      const against = hardware ? { backend: hardware.backend, scenario: hardware.scenario, source: hardware.source, spans: hardware.facts.spans.length } : null;
      const report = {
        ok: true, site: loaded.source, checkedAgainstHardware: hardware !== undefined, hardware: against,
        warnings: loaded.warnings.map((w) => issueJson(file, w)), files: files.map((f) => f.target),
      };
      ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      for (const warning of loaded.warnings) ctx.stderr.write(`${issueLine(file, warning)}\n`);
      const cards = loaded.site.cards.length;
      const against = hardware
        ? `, checked against the ${hardware.facts.spans.length} span(s) of the ${hardware.source}`
        : ', no DAHDI driver here: not checked against hardware (rehearse with --backend sim --scenario FILE)';
      ctx.stdout.write(`${file}: valid (site '${loaded.site.name}', ${cards} card(s), sha256 ${loaded.source.sha256.slice(0, 12)})${against}${loaded.warnings.length > 0 ? `, ${loaded.warnings.length} warning(s)` : ''}\n`);
    }
    return code;
  } catch (err) {
    return reportSiteError(ctx, file, args.json, err);
  }
}

export const provisionValidateCommand: Command = {
  name: 'provision validate',
  summary: 'check a site file: every error with its line, nothing written; against cards real or simulated',
  usage: 'tdmgate provision validate SITE [--backend sim|dahdi] [--scenario FILE] [--json]',
  options: OPTIONS,
  help: PROVISION_HELP,
  run,
};
