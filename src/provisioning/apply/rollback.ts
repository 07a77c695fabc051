// `apply --rollback`: the newest backup not yet restored, first as a plan (which file is restored,
// which removed because the backup predates it), then carried out through the apply sequence.
// Removing a file is refused without `force`: after a failed apply the newest backup left may be
// the one taken before the very first apply, and restoring it deletes every working file.

import { ProvisioningError } from '../errors';
import { applyFiles, compareWithDisk, type ApplyDeps, type ApplyReport, type PlannedFile } from './apply';
import { BACKUP_DIR, backupWrites, latestBackup, markRestored, type Backup } from './backup';
import type { FileOps } from './file-ops';
import { onDisk } from './paths';
import type { SiteSource } from '../site/site-types';

/** restore: the backup's copy goes back; remove: the file did not exist when the backup was taken. */
export type RollbackAction = 'restore' | 'remove' | 'unchanged';

export interface RollbackFile {
  target: string;
  /** Where it is on this machine (with --root). */
  path: string;
  action: RollbackAction;
}

export interface RollbackPlan {
  /** The backup put back (its directory and when it was taken). */
  backup: { dir: string; createdAt: string; site: SiteSource | null };
  files: RollbackFile[];
}

export interface RollbackReport extends ApplyReport {
  plan: RollbackPlan;
}

interface Planned {
  plan: RollbackPlan;
  backup: Backup;
  files: PlannedFile[];
}

async function plan(ops: FileOps, root: string): Promise<Planned> {
  const backup = await latestBackup(ops, root);
  if (!backup) throw new ProvisioningError('ROLLBACK_UNAVAILABLE', `no backup to restore in ${onDisk(root, BACKUP_DIR)} (every backup there has been restored already, or apply never ran)`);
  const files = (await backupWrites(ops, root, backup)).map((w): PlannedFile => ({ target: w.target, content: w.content }));
  const { changes } = await compareWithDisk(ops, root, files);
  const steps = changes.map((c): RollbackFile => ({ target: c.target, path: c.path, action: c.status === 'unchanged' ? 'unchanged' : c.status === 'removed' ? 'remove' : 'restore' }));
  return { plan: { backup: { dir: backup.dir, createdAt: backup.manifest.createdAt, site: backup.manifest.site }, files: steps }, backup, files };
}

/** What `apply --rollback` would do now, changing nothing. */
export async function planRollback(ops: FileOps, root: string): Promise<RollbackPlan> {
  return (await plan(ops, root)).plan;
}

export function removals(rollback: RollbackPlan): string[] {
  return rollback.files.filter((f) => f.action === 'remove').map((f) => f.target);
}

export interface RollbackOptions {
  dryRun: boolean;
  /** Allow removing files the backup predates. */
  force: boolean;
}

/**
 * Carries out `shown`, the plan the user saw: refused when it removes files and `force` is not
 * set, and when the disk no longer matches it (another backup, or a file changed since).
 */
export async function rollbackLatest(deps: ApplyDeps, root: string, shown: RollbackPlan, options: RollbackOptions): Promise<RollbackReport> {
  const removed = removals(shown);
  if (removed.length > 0 && !options.force && !options.dryRun) {
    throw new ProvisioningError(
      'ROLLBACK_REMOVES',
      `refusing to roll back: the backup of ${shown.backup.createdAt} predates ${removed.join(', ')}, so rolling back would remove ${removed.length === 1 ? 'it' : 'them'}. Add --force to remove ${removed.length === 1 ? 'it' : 'them'}; --dry-run shows the plan`,
    );
  }
  const now = await plan(deps.ops, root);
  if (JSON.stringify(now.plan) !== JSON.stringify(shown)) throw new ProvisioningError('ROLLBACK_CHANGED', 'the backups or the installed files changed since the rollback plan was made: nothing was done, run it again to see the new plan');
  const report = await applyFiles(deps, { files: now.files, root, dryRun: options.dryRun, site: now.backup.manifest.site, takeBackup: false });
  if (report.outcome === 'applied' || report.outcome === 'unchanged') await markRestored(deps.ops, now.backup, deps.now());
  return { ...report, plan: now.plan };
}
