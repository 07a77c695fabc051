// What the hardware tests know about the machine they run on, and the faults they can cause on
// the real DAHDI driver. Runs only where DAHDI is loaded: inside the qemu guest of
// scripts/vm/run-hardware-tests (TDMGATE_HW_VM=1), or on a box with cards plus the two looped
// "loc" spans of hardware-tests/README.md. Without /dev/dahdi/ctl every suite fails loudly.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEV_DIR = process.env.TDMGATE_DAHDI_DEV ?? '/dev/dahdi';
/** The config that creates the loc spans; restore() re-applies it with dahdi_cfg. */
export const SYSTEM_CONF = process.env.TDMGATE_DAHDI_SYSTEM_CONF ?? '/etc/dahdi/system.conf';
/** Set by scripts/vm/guest-init: the loc spans are then the only spans (numbers 1 and 2). */
export const IN_VM = process.env.TDMGATE_HW_VM === '1';

const SPANS_SYSFS = '/sys/bus/dahdi_spans/devices';

/** Throws a message that says what to do when the driver is not there (never a silent pass). */
export function requireDahdi(): void {
  const ctl = `${DEV_DIR}/ctl`;
  if (!existsSync(ctl) || !statSync(ctl).isCharacterDevice()) {
    throw new Error(
      `${ctl} does not exist: the DAHDI driver is not loaded. These tests need the real driver: ` +
        'run `npm run test:vm` (qemu guest with two loc spans), or on a box with DAHDI loaded and ' +
        'the loc spans configured (hardware-tests/README.md) run `npm run test:hardware` as root.',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error('the hardware tests reconfigure DAHDI with dahdi_cfg: run them as root');
  }
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/** Runs a dahdi tool from PATH; a non-zero exit throws with its stderr. */
export function tool(name: string, args: readonly string[] = []): ToolResult {
  const r = spawnSync(name, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`${name} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${name} ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

/** A span as sysfs describes it. */
export interface SysSpan {
  span: number;
  name: string;
  alarms: number;
  basechan: number;
  channels: number;
}

function attr(span: number, name: string): string {
  return readFileSync(`${SPANS_SYSFS}/span-${span}/${name}`, 'utf8').trim();
}

export function sysSpans(): SysSpan[] {
  if (!existsSync(SPANS_SYSFS)) return [];
  return readdirSync(SPANS_SYSFS)
    .map((d) => /^span-(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map((span) => ({
      span,
      name: attr(span, 'name'),
      alarms: Number.parseInt(attr(span, 'alarms'), 16),
      basechan: Number(attr(span, 'basechan')),
      channels: Number(attr(span, 'channels')),
    }));
}

/** The two looped loc spans (key 1, ids 0 and 1) the suites are written for. */
export interface LocPair {
  a: SysSpan;
  b: SysSpan;
}

export function locPair(): LocPair {
  const spans = sysSpans();
  const a = spans.find((s) => s.name === 'DYN/loc/1:0');
  const b = spans.find((s) => s.name === 'DYN/loc/1:1');
  if (!a || !b) {
    const seen = spans.map((s) => `${s.span}:${s.name}`).join(', ') || 'none';
    throw new Error(
      `the loc spans DYN/loc/1:0 and DYN/loc/1:1 are not configured (spans present: ${seen}); ` +
        'load dahdi_dynamic_loc and add the two dynamic=loc lines of hardware-tests/README.md to ' +
        `${SYSTEM_CONF}, then run dahdi_cfg`,
    );
  }
  return { a, b };
}

/** Waits for a state DAHDI announces to nobody (alarms raise no uevent): a bounded poll. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Channel numbers of a system.conf range list ("1-15,17-31"). */
function channelsOf(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) return [];
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to; c++) out.push(c);
  }
  return out;
}

/**
 * The part of a system.conf that recreates the given dynamic spans: their `dynamic=` lines, the
 * channel lines that only name their channels, and the zone lines. dahdi_cfg destroys and
 * recreates only the dynamic spans a config lists, so applying this leaves the other spans
 * (and any watcher's view of them) alone.
 */
export function confFor(conf: string, spans: ReadonlyArray<{ driver: string; address: string; basechan: number; channels: number }>): string {
  const keep: string[] = [];
  for (const raw of conf.split('\n')) {
    const line = raw.trim();
    const dyn = /^dynamic\s*=\s*([^,]+),([^,]+),/.exec(line);
    if (dyn) {
      if (spans.some((s) => s.driver === dyn[1] && s.address === dyn[2])) keep.push(line);
      continue;
    }
    const ch = /^(\w+)\s*=\s*([\d,\s-]+)$/.exec(line);
    if (ch && ch[2] !== undefined && !/^(loadzone|defaultzone)$/.test(ch[1] ?? '')) {
      const nums = channelsOf(ch[2]);
      const inside = (c: number): boolean => spans.some((s) => c >= s.basechan && c < s.basechan + s.channels);
      if (nums.length > 0 && nums.every(inside)) keep.push(line);
      continue;
    }
    if (/^(loadzone|defaultzone)\s*=/.test(line)) keep.push(line);
  }
  return `${keep.join('\n')}\n`;
}

/**
 * Faults on the real driver, shaped like the contract's ContractFaults.
 * takeSpanAway(span) destroys what feeds `span` its signal: its loc peer (DAHDI_DYNAMIC_DESTROY
 * through dahdi-dynamic-destroy); `span` goes RED within 1-3 s. Re-running dahdi_cfg without the
 * peer's line would not do it: dahdi_cfg only destroys the dynamic spans its config lists.
 * restore() recreates only the destroyed spans (dahdi_cfg on the matching part of SYSTEM_CONF)
 * and waits until every loc span is back without alarms.
 */
export interface SpanFaults {
  takeSpanAway(span: number): Promise<void>;
  restore(): Promise<void>;
  /** The span that goes RED when its peer is taken away (DYN/loc/1:0). */
  readonly expectRedSpan: number;
}

interface Removed {
  name: string;
  driver: string;
  address: string;
  basechan: number;
  channels: number;
}

export function locFaults(): SpanFaults {
  const removed: Removed[] = [];
  let red: number | undefined;
  return {
    get expectRedSpan(): number {
      // Read lazily: suites are declared before their before() hooks check the driver.
      // Without the spans the suite's before() fails with the reason; 1 only names the test.
      if (red === undefined) {
        try {
          red = locPair().a.span;
        } catch {
          return 1;
        }
      }
      return red;
    },
    async takeSpanAway(span: number): Promise<void> {
      const spans = sysSpans();
      const self = spans.find((x) => x.span === span);
      const key = self && /^DYN\/loc\/(\d+):(\d+)$/.exec(self.name)?.[1];
      if (!self || key === undefined) throw new Error(`span ${span} (${self?.name ?? 'absent'}) is not a loc span: only a loc span's peer can be taken away`);
      const peer = spans.find((x) => x.span !== span && x.name.startsWith(`DYN/loc/${key}:`));
      if (!peer) throw new Error(`span ${span} (${self.name}) has no loc peer to take away`);
      const address = peer.name.slice('DYN/loc/'.length);
      tool('dahdi-dynamic-destroy', ['loc', address, DEV_DIR]);
      removed.push({ name: peer.name, driver: 'loc', address, basechan: peer.basechan, channels: peer.channels });
      await waitFor(`span ${peer.span} (${peer.name}) to disappear`, () => (sysSpans().some((x) => x.name === peer.name) ? undefined : true));
    },
    async restore(): Promise<void> {
      if (removed.length === 0) return;
      const dir = mkdtempSync(join(tmpdir(), 'tdmgate-hw-'));
      try {
        const conf = join(dir, 'system.conf');
        writeFileSync(conf, confFor(readFileSync(SYSTEM_CONF, 'utf8'), removed));
        tool('dahdi_cfg', ['-c', conf]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const names = new Set(['DYN/loc/1:0', 'DYN/loc/1:1', ...removed.map((r) => r.name)]);
      await waitFor('the loc spans to be back without alarms', () => {
        const back = sysSpans().filter((x) => names.has(x.name));
        return back.length === names.size && back.every((x) => x.alarms === 0) ? true : undefined;
      });
      removed.length = 0;
    },
  };
}

/** dahdi_scan's INI output: one record per span, keyed by span number. */
export function parseDahdiScan(text: string): Map<number, Record<string, string>> {
  const spans = new Map<number, Record<string, string>>();
  let cur: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    const sec = /^\[(\d+)\]\s*$/.exec(line);
    if (sec) {
      cur = {};
      spans.set(Number(sec[1]), cur);
      continue;
    }
    const kv = /^([a-z_]+)=(.*)$/.exec(line);
    if (kv && cur && kv[1] !== undefined && kv[2] !== undefined) cur[kv[1]] = kv[2];
  }
  return spans;
}

/** Count of this process's open fds (leak checks). */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}
