// `tdmgate provision generate SITE --out DIR`: the config files, written under DIR by their
// install paths (DIR/etc/dahdi/system.conf, ...) for review or packaging. Writes through the
// same all-or-nothing file set as apply; --dry-run lists them without writing.

import { readOriginals, stageFiles } from '../../provisioning/apply/atomic-write';
import { nodeFileOps } from '../../provisioning/apply/file-ops';
import { onDisk } from '../../provisioning/apply/paths';
import { flag, parseCommand, stringOption, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { compileSite, issueLine, PROVISION_EXIT, PROVISION_HELP, PROVISION_OPTIONS, provisionArgs, reportSiteError, siteArgument } from './common';

const OPTIONS = { ...PROVISION_OPTIONS, out: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('provision generate', argv, OPTIONS);
  const file = siteArgument('provision generate', positionals);
  const args = provisionArgs(values);
  const out = stringOption(values, 'out');
  if (out === undefined || out === '') throw new UsageError('provision generate needs --out DIR (apply writes to the live paths)');
  if (values.root !== undefined) throw new UsageError('provision generate takes --out DIR, not --root');
  const dryRun = flag(values, 'dry-run');
  let compiled;
  try {
    compiled = await compileSite(file, args);
  } catch (err) {
    return reportSiteError(ctx, file, args.json, err);
  }
  const writes = compiled.files.map((f) => ({ target: f.target, path: onDisk(out, f.target), content: f.content }));
  if (!dryRun) {
    const staged = await stageFiles(nodeFileOps, writes, await readOriginals(nodeFileOps, writes.map((w) => w.path)));
    await staged.commit();
  }
  if (args.json) {
    const files = writes.map((w) => ({ target: w.target, path: w.path, bytes: Buffer.byteLength(w.content) }));
    ctx.stdout.write(`${JSON.stringify({ ok: true, dryRun, site: compiled.loaded.source, files, warnings: compiled.loaded.warnings }, null, 2)}\n`);
  } else {
    for (const warning of compiled.loaded.warnings) ctx.stderr.write(`${issueLine(file, warning)}\n`);
    ctx.stdout.write(`${dryRun ? 'Would write' : 'Wrote'} ${writes.length} file(s) for site '${compiled.loaded.site.name}':\n`);
    for (const w of writes) ctx.stdout.write(`  ${w.path}\n`);
  }
  return compiled.loaded.warnings.length > 0 ? PROVISION_EXIT.WARNING : PROVISION_EXIT.OK;
}

export const provisionGenerateCommand: Command = {
  name: 'provision generate',
  summary: 'write the DAHDI and Asterisk files of a site under a directory',
  usage: 'tdmgate provision generate SITE --out DIR [--dry-run] [--json] [--chan-dahdi-mode full|include]',
  options: OPTIONS,
  help: PROVISION_HELP,
  run,
};
