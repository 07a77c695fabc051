// `tdmgate provision import --system-conf FILE [--chan-dahdi FILE] [--assigned-spans FILE]
// [--span-types FILE] [--out SITE]`: an existing box's DAHDI and chan_dahdi config (and the files
// pinning its cards, by default those beside system.conf) turned into a site file (stdout without --out), with a note
// for everything that could not be carried over. Exit 0, 1 when there are notes, 65 when a file
// is one the real tools would refuse (file:line: reason).

import { resolve } from 'node:path';
import { readOriginals, stageFiles } from '../../provisioning/apply/atomic-write';
import { nodeFileOps } from '../../provisioning/apply/file-ops';
import { isProvisioningError } from '../../provisioning/errors';
import { importSite } from '../../provisioning/import/import';
import { siteToYaml } from '../../provisioning/import/site-yaml';
import { flag, maxPositionals, parseCommand, stringOption, UsageError } from '../args';
import type { CliContext, Command } from '../command';
import { PROVISION_EXIT, PROVISION_HELP } from './common';

const OPTIONS = {
  'system-conf': { type: 'string' },
  'chan-dahdi': { type: 'string' },
  'assigned-spans': { type: 'string' },
  'span-types': { type: 'string' },
  out: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('provision import', argv, OPTIONS);
  maxPositionals('provision import', positionals, 0);
  const systemConf = stringOption(values, 'system-conf');
  if (!systemConf) throw new UsageError('provision import needs --system-conf FILE (/etc/dahdi/system.conf)');
  const chanDahdi = stringOption(values, 'chan-dahdi');
  const assignedSpans = stringOption(values, 'assigned-spans');
  const spanTypes = stringOption(values, 'span-types');
  const out = stringOption(values, 'out');
  const json = flag(values, 'json');
  const dryRun = flag(values, 'dry-run');
  let result;
  try {
    result = await importSite({
      systemConf, ...(chanDahdi ? { chanDahdi } : {}), ...(assignedSpans ? { assignedSpans } : {}), ...(spanTypes ? { spanTypes } : {}),
    });
  } catch (err) {
    if (!isProvisioningError(err)) throw err;
    if (json) ctx.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message, issues: err.issues }, null, 2)}\n`);
    else for (const issue of err.issues.length > 0 ? err.issues : [{ path: systemConf, message: err.message }]) ctx.stderr.write(`${issue.path}${'line' in issue && issue.line ? `:${issue.line}` : ''}: ${issue.message}\n`);
    return PROVISION_EXIT.DATA_ERROR;
  }
  const yaml = siteToYaml(result.site, result.notes);
  if (out && !dryRun) {
    const path = resolve(out);
    const staged = await stageFiles(nodeFileOps, [{ path, content: yaml }], await readOriginals(nodeFileOps, [path]));
    await staged.commit();
  }
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ ok: true, dryRun, out: out ?? null, notes: result.notes, site: result.site, yaml }, null, 2)}\n`);
  } else {
    for (const n of result.notes) ctx.stderr.write(`${n.file}:${n.line}: note: ${n.message}\n`);
    if (out) ctx.stdout.write(`${dryRun ? 'Would write' : 'Wrote'} ${out} (site '${result.site.name}', ${result.notes.length} note(s) on what was not carried over)\n`);
    else ctx.stdout.write(yaml);
  }
  return result.notes.length > 0 ? PROVISION_EXIT.WARNING : PROVISION_EXIT.OK;
}

export const provisionImportCommand: Command = {
  name: 'provision import',
  summary: 'turn an existing system.conf + chan_dahdi.conf into a site file',
  usage: 'tdmgate provision import --system-conf FILE [--chan-dahdi FILE] [--assigned-spans FILE] [--span-types FILE] [--out SITE] [--dry-run] [--json]',
  options: OPTIONS,
  help: PROVISION_HELP,
  run,
};
