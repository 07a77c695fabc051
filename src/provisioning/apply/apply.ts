// The apply sequence: compare the new files with the disk, let dahdi_cfg -t judge the new
// system.conf, back up, write every file atomically, run dahdi_cfg (only the changed spans when
// it can), ask Asterisk to reload the dialplan (when it changed) and chan_dahdi, then watch the spans. Nothing is written before
// dahdi_cfg -t has accepted the file; if the real dahdi_cfg run then fails, the files are put
// back automatically and dahdi_cfg is re-run on the old system.conf, so the disk and the driver
// agree again. All I/O comes in through ApplyDeps.

import { join } from 'node:path';
import type { HardwareBackend } from '../../hardware/types';
import type { SiteSource } from '../site/site-types';
import { readOriginals, stageFiles, type FileWrite, type Original } from './atomic-write';
import { TARGETS } from '../generate';
import { reloadModule, type AriSettings, type FetchLike, type ReloadOutcome } from './ari-reload';
import { createBackup, markRestored, type Backup } from './backup';
import { applyPlan, planDahdiCfg, runDahdiCfg, type CfgPlan, type CfgResult, type Spawner } from './dahdi-cfg';
import { diffStat, unifiedDiff } from './diff';
import type { FileOps } from './file-ops';
import { onDisk } from './paths';
import { spanTargets, watchSpans, type SpanProgress, type WatchResult } from './span-watch';

export const SYSTEM_CONF = '/etc/dahdi/system.conf';

/** A file the site wants on disk; content null means "must not exist" (rollbacks only). */
export interface PlannedFile {
  target: string;
  content: string | null;
}

export type ChangeStatus = 'new' | 'changed' | 'unchanged' | 'removed';

export interface FileChange {
  target: string;
  /** Where it is on this machine (with --root). */
  path: string;
  status: ChangeStatus;
  added: number;
  removed: number;
  diff: string;
}

function statusOf(before: string | null, after: string | null): ChangeStatus {
  if (before === after) return 'unchanged';
  if (after === null) return 'removed';
  return before === null ? 'new' : 'changed';
}

/** What would change on disk: the whole of `provision diff`, and the first step of apply. */
export async function compareWithDisk(ops: FileOps, root: string, files: readonly PlannedFile[]): Promise<{ changes: FileChange[]; originals: Original[] }> {
  const originals = await readOriginals(
    ops,
    files.map((f) => onDisk(root, f.target)),
  );
  const changes = files.map((file, i): FileChange => {
    const before = originals[i]?.content ?? null;
    const path = onDisk(root, file.target);
    const status = statusOf(before, file.content);
    const diff = status === 'unchanged' ? '' : unifiedDiff(before, file.content ?? '', { old: `a${file.target}`, new: file.content === null ? '/dev/null' : `b${file.target}` });
    return { target: file.target, path, status, ...diffStat(before, file.content ?? ''), diff };
  });
  return { changes, originals };
}

export type ApplyEvent =
  | { kind: 'step'; step: 'compare' | 'test' | 'backup' | 'write' | 'dahdi_cfg' | 'reload' | 'watch' | 'rollback'; detail: string }
  | { kind: 'span'; progress: SpanProgress };

export interface ApplyDeps {
  ops: FileOps;
  spawn: Spawner;
  fetch: FetchLike;
  now(): Date;
  /** Opened only when spans are watched; the caller closes it. */
  backend(): Promise<HardwareBackend>;
  /** Where `dahdi_cfg -t` reads its copy of the new system.conf (never the install tree). */
  scratchDir: string;
  dahdiCfg: {
    bin: string;
    timeoutMs: number;
    /** `dahdi_cfg -t` needs /dev/dahdi/ctl: only true where the driver is loaded. */
    testFirst: boolean;
    /** The control device looked for, named when the test cannot run. */
    ctlPath: string;
  };
  ari: AriSettings | null;
  ariTimeoutMs: number;
  watchTimeoutMs: number;
  /** Every span must stay up this long before apply calls it up. */
  settleMs: number;
  onEvent(event: ApplyEvent): void;
  signal?: AbortSignal;
  pid?: number;
}

export interface ApplyRequest {
  files: readonly PlannedFile[];
  root: string;
  dryRun: boolean;
  site: SiteSource | null;
  /** false for a rollback: putting a backup back takes no new one. */
  takeBackup: boolean;
}

export type ApplyOutcome =
  /** Files written (or already as wanted), dahdi_cfg and reload done; see spans for the lines. */
  | 'applied'
  | 'unchanged'
  | 'dry-run'
  /** dahdi_cfg -t refused the new system.conf: nothing was written. */
  | 'rejected'
  /** dahdi_cfg failed after the write: the old files were put back. */
  | 'rolled-back'
  /** Writing failed: the files that had been replaced were put back. */
  | 'write-failed';

export interface ApplyReport {
  outcome: ApplyOutcome;
  changes: FileChange[];
  backup: string | null;
  dahdiCfg: {
    plan: CfgPlan | null;
    test: CfgResult | null;
    /** Why `dahdi_cfg -t` did not run, when it did not (null: it ran, or there was nothing to test). */
    testSkipped: string | null;
    runs: CfgResult[];
    restoreRuns: CfgResult[];
  };
  /** chan_dahdi's reload. */
  reload: ReloadOutcome;
  /** The dialplan's (pbx_config), when extensions_tdmgate.conf changed. */
  dialplanReload: ReloadOutcome;
  watch: WatchResult | null;
  /** One sentence per thing that went wrong, in order. */
  errors: string[];
}

function systemConfOf(files: readonly PlannedFile[]): string | null {
  return files.find((f) => f.target === SYSTEM_CONF)?.content ?? null;
}

async function testConfig(deps: ApplyDeps, content: string): Promise<CfgResult> {
  const scratch = join(deps.scratchDir, `tdmgate-system-${deps.pid ?? process.pid}-${deps.now().getTime()}.conf`);
  await deps.ops.writeSynced(scratch, content, 0o600);
  try {
    return await runDahdiCfg({ spawn: deps.spawn, bin: deps.dahdiCfg.bin, timeoutMs: deps.dahdiCfg.timeoutMs, confText: content }, ['-t', '-c', scratch]);
  } finally {
    await deps.ops.remove(scratch);
  }
}

async function watch(deps: ApplyDeps, systemConf: string | null): Promise<WatchResult | null> {
  if (systemConf === null) return null;
  const targets = spanTargets(systemConf);
  deps.onEvent({ kind: 'step', step: 'watch', detail: `waiting up to ${Math.round(deps.watchTimeoutMs / 1000)} s for ${targets.length} span target(s) to clear their alarms` });
  return watchSpans(await deps.backend(), targets, {
    timeoutMs: deps.watchTimeoutMs,
    settleMs: deps.settleMs,
    onProgress: (progress) => deps.onEvent({ kind: 'span', progress }),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
}

async function reload(deps: ApplyDeps): Promise<ReloadOutcome> {
  if (!deps.ari) return { status: 'skipped', message: 'ARI not configured (TDMGATE_ARI_URL): reload chan_dahdi yourself (asterisk -rx "module reload chan_dahdi.so")' };
  deps.onEvent({ kind: 'step', step: 'reload', detail: 'asking Asterisk to reload chan_dahdi over ARI' });
  return reloadModule(deps.fetch, deps.ari, 'chan_dahdi.so', deps.ariTimeoutMs);
}

/** First, so channels reloaded into new contexts find them; only when the dialplan file changed. */
async function reloadDialplan(deps: ApplyDeps, changed: readonly PlannedFile[]): Promise<ReloadOutcome> {
  if (!changed.some((f) => f.target === TARGETS.dialplan)) return { status: 'skipped', message: 'the dialplan file did not change' };
  if (!deps.ari) return { status: 'skipped', message: 'ARI not configured (TDMGATE_ARI_URL): reload the dialplan yourself (asterisk -rx "dialplan reload")' };
  deps.onEvent({ kind: 'step', step: 'reload', detail: 'asking Asterisk to reload the dialplan (pbx_config) over ARI' });
  return reloadModule(deps.fetch, deps.ari, 'pbx_config.so', deps.ariTimeoutMs);
}

function cfgErrors(results: readonly CfgResult[], target: string): string[] {
  return results.flatMap((r) => r.problems.map((p) => `${p.line ? `${target}:${p.line}: ` : ''}dahdi_cfg: ${p.message}${p.hint ? ` (${p.hint})` : ''}`));
}

export async function applyFiles(deps: ApplyDeps, request: ApplyRequest): Promise<ApplyReport> {
  const { ops, now } = deps;
  const { root } = request;
  deps.onEvent({ kind: 'step', step: 'compare', detail: `comparing ${request.files.length} file(s) with ${root === '/' ? 'the disk' : root}` });
  const { changes, originals } = await compareWithDisk(ops, root, request.files);
  const changed = request.files.filter((_, i) => changes[i]?.status !== 'unchanged');
  const newConf = systemConfOf(request.files);
  const oldConf = originals.find((o) => o.path === onDisk(root, SYSTEM_CONF))?.content ?? null;
  const plan = request.files.some((f) => f.target === SYSTEM_CONF) && newConf !== null ? planDahdiCfg(oldConf, newConf) : null;
  const report: ApplyReport = {
    outcome: 'applied',
    changes,
    backup: null,
    dahdiCfg: { plan, test: null, testSkipped: null, runs: [], restoreRuns: [] },
    reload: { status: 'skipped', message: 'nothing changed' },
    dialplanReload: { status: 'skipped', message: 'nothing changed' },
    watch: null,
    errors: [],
  };

  if (plan && plan.kind !== 'none' && newConf !== null && !deps.dahdiCfg.testFirst) {
    report.dahdiCfg.testSkipped = `DAHDI is not loaded here (no ${deps.dahdiCfg.ctlPath}), and dahdi_cfg -t opens it even in test mode: ` +
      `the new ${SYSTEM_CONF} was not checked by dahdi_cfg`;
  }
  if (plan && plan.kind !== 'none' && newConf !== null && deps.dahdiCfg.testFirst) {
    deps.onEvent({ kind: 'step', step: 'test', detail: `dahdi_cfg -t on the new ${SYSTEM_CONF}` });
    report.dahdiCfg.test = await testConfig(deps, newConf);
    if (!report.dahdiCfg.test.ok) {
      report.errors.push(...cfgErrors([report.dahdiCfg.test], SYSTEM_CONF));
      return { ...report, outcome: 'rejected' };
    }
  }
  if (request.dryRun) return { ...report, outcome: 'dry-run', reload: { status: 'skipped', message: 'dry run' }, dialplanReload: { status: 'skipped', message: 'dry run' } };
  if (changed.length === 0) return { ...report, outcome: 'unchanged', watch: await watch(deps, newConf ?? oldConf) };

  const writes: FileWrite[] = changed.map((f) => ({ path: onDisk(root, f.target), content: f.content }));
  const staged = await stageFiles(ops, writes, originals, deps.pid);
  let backup: Backup | null = null;
  try {
    if (request.takeBackup) {
      deps.onEvent({ kind: 'step', step: 'backup', detail: 'backing up the files about to change' });
      const changedOriginals = originals.filter((o) => writes.some((w) => w.path === o.path)).map((o) => ({ ...o, target: changed.find((f) => onDisk(root, f.target) === o.path)?.target ?? o.path }));
      backup = await createBackup(ops, root, changedOriginals, request.site, now());
      report.backup = backup.dir;
    }
    deps.onEvent({ kind: 'step', step: 'write', detail: `writing ${writes.length} file(s) atomically` });
    await staged.commit();
  } catch (err) {
    await staged.discard();
    report.errors.push(`writing the files failed, the old ones are in place: ${(err as Error).message}`);
    // The old files are in place, so this backup holds nothing to undo: a later --rollback
    // must pass over it to the last apply that did change the disk.
    if (backup) await markRestored(ops, backup, now()).catch((e: Error) => report.errors.push(`marking the backup ${backup?.dir} restored failed: ${e.message}`));
    return { ...report, outcome: 'write-failed' };
  }

  if (plan && plan.kind !== 'none') {
    deps.onEvent({ kind: 'step', step: 'dahdi_cfg', detail: plan.reason });
    const confPath = onDisk(root, SYSTEM_CONF);
    report.dahdiCfg.runs = await applyPlan({ spawn: deps.spawn, bin: deps.dahdiCfg.bin, timeoutMs: deps.dahdiCfg.timeoutMs, confText: newConf ?? '' }, plan, confPath);
    if (report.dahdiCfg.runs.some((r) => !r.ok)) {
      report.errors.push(...cfgErrors(report.dahdiCfg.runs, SYSTEM_CONF));
      await rollBack(deps, report, writes, originals, { root, oldConf, newConf: newConf ?? '', backup });
      return { ...report, outcome: 'rolled-back' };
    }
  }
  report.dialplanReload = await reloadDialplan(deps, changed);
  if (report.dialplanReload.status === 'failed') report.errors.push(report.dialplanReload.message);
  report.reload = await reload(deps);
  if (report.reload.status === 'failed') report.errors.push(report.reload.message);
  report.watch = await watch(deps, newConf ?? oldConf);
  return report;
}

/** Puts the old files back after dahdi_cfg refused the new ones, and re-runs dahdi_cfg on them. */
async function rollBack(deps: ApplyDeps, report: ApplyReport, writes: readonly FileWrite[], originals: readonly Original[], ctx: { root: string; oldConf: string | null; newConf: string; backup: Backup | null }): Promise<void> {
  deps.onEvent({ kind: 'step', step: 'rollback', detail: 'dahdi_cfg failed: putting the previous files back' });
  const restore = writes.map((w): FileWrite => ({ path: w.path, content: originals.find((o) => o.path === w.path)?.content ?? null }));
  const current = await readOriginals(
    deps.ops,
    restore.map((w) => w.path),
  );
  const staged = await stageFiles(deps.ops, restore, current, deps.pid);
  await staged.commit();
  if (ctx.backup) await markRestored(deps.ops, ctx.backup, deps.now());
  if (ctx.oldConf === null) return;
  // The driver may hold half of the new config: the old file, run the same way, takes it back.
  const back = planDahdiCfg(ctx.newConf, ctx.oldConf);
  report.dahdiCfg.restoreRuns = await applyPlan({ spawn: deps.spawn, bin: deps.dahdiCfg.bin, timeoutMs: deps.dahdiCfg.timeoutMs, confText: ctx.oldConf }, back, onDisk(ctx.root, SYSTEM_CONF));
  if (report.dahdiCfg.restoreRuns.some((r) => !r.ok)) report.errors.push(...cfgErrors(report.dahdiCfg.restoreRuns, `${SYSTEM_CONF} (previous)`));
}
