// `tdmgate provision diff SITE`: what apply would change on disk, as unified diffs of the
// installed files (under --root) against the generated ones. Reads only. Exits like diff(1) -
// 0 when the disk matches, 1 when it differs - so a script or a monitor can ask "in sync?";
// site warnings (printed) do not change that. Errors keep the provision codes (64, 65).

import { compareWithDisk } from '../../provisioning/apply/apply';
import { nodeFileOps } from '../../provisioning/apply/file-ops';
import { installable } from '../../provisioning/apply/span-assignment';
import { parseCommand } from '../args';
import type { CliContext, Command } from '../command';
import { changeLine, compileSite, issueLine, PROVISION_EXIT, PROVISION_HELP, PROVISION_OPTIONS, provisionArgs, reportSiteError, siteArgument } from './common';

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('provision diff', argv, PROVISION_OPTIONS);
  const file = siteArgument('provision diff', positionals);
  const args = provisionArgs(values);
  let compiled;
  try {
    compiled = await compileSite(file, args);
  } catch (err) {
    return reportSiteError(ctx, file, args.json, err);
  }
  // The files apply would install: the modprobe option only where dahdi-tools' hotplug hook is.
  const { files } = await installable(nodeFileOps, args.root, compiled.files);
  const { changes } = await compareWithDisk(nodeFileOps, args.root, files);
  const changed = changes.filter((c) => c.status !== 'unchanged');
  if (args.json) {
    ctx.stdout.write(`${JSON.stringify({ ok: true, site: compiled.loaded.source, changed: changed.length > 0, files: changes, warnings: compiled.loaded.warnings }, null, 2)}\n`);
  } else {
    for (const warning of compiled.loaded.warnings) ctx.stderr.write(`${issueLine(file, warning)}\n`);
    for (const change of changed) ctx.stdout.write(change.diff);
    ctx.stdout.write(changed.length === 0 ? 'No changes: the installed files match the site.\n' : `${changed.length} of ${changes.length} file(s) would change:\n`);
    if (changed.length > 0) for (const change of changes) ctx.stdout.write(`${changeLine(change)}\n`);
  }
  return changed.length > 0 ? PROVISION_EXIT.DIFFERS : PROVISION_EXIT.OK;
}

export const provisionDiffCommand: Command = {
  name: 'provision diff',
  summary: 'show what apply would change on disk (unified diff; exit 1 when it differs, like diff)',
  usage: 'tdmgate provision diff SITE [--root DIR] [--json] [--chan-dahdi-mode full|include]',
  options: PROVISION_OPTIONS,
  help: PROVISION_HELP,
  run,
};
