// The typed face of the N-API binding (native/), and its loader. Raw structures mirror
// <dahdi/user.h> field for field; interpretation (alarm names, counter support) lives above.

import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../../package-root';
import { HardwareError } from '../errors';

/** struct dahdi_spaninfo; fe..errsec are null when the driver only knows the V1 structure. */
export interface RawSpanInfo {
  spanno: number;
  name: string;
  desc: string;
  alarms: number;
  txlevel: number;
  rxlevel: number;
  bpvcount: number;
  crc4count: number;
  ebitcount: number;
  fascount: number;
  fecount: number | null;
  cvcount: number | null;
  becount: number | null;
  prbs: number | null;
  errsec: number | null;
  irqmisses: number;
  syncsrc: number;
  numchans: number;
  totalchans: number;
  totalspans: number;
  lbo: number;
  lineconfig: number;
  lboname: string;
  location: string;
  manufacturer: string;
  devicetype: string;
  linecompat: number;
  spantype: string;
  /** 2 = current struct, 1 = fell back to DAHDI_SPANSTAT_V1 after ENOTTY. */
  abi: 1 | 2;
}

/** struct dahdi_params (the fields a monitor reads). */
export interface RawParams {
  channo: number;
  spanno: number;
  chanpos: number;
  sigtype: number;
  sigcap: number;
  rxisoffhook: number;
  rxbits: number;
  txbits: number;
  txhooksig: number;
  rxhooksig: number;
  curlaw: number;
  idlebits: number;
  name: string;
  chanAlarms: number;
}

/**
 * An edge seen by the native watcher between two polls. Counter deltas come one per counter
 * that grew; `rxbits`/`rxisoffhook` only for the channels the watcher was asked to follow.
 */
export type RawEdge =
  | { type: 'span-added'; span: number; info: RawSpanInfo }
  | { type: 'span-removed'; span: number }
  | { type: 'alarm'; span: number; previous: number; alarms: number }
  | { type: 'counter'; span: number; counter: 'bpv' | 'crc4' | 'ebit' | 'fas' | 'fe' | 'cv' | 'be' | 'prbs' | 'errsec' | 'irqmisses'; delta: number }
  | { type: 'rxbits'; span: number; channel: number; previous: number; bits: number }
  | { type: 'hook'; span: number; channel: number; offhook: boolean };

/**
 * Delivered only when something changed: edges, a new error, or an error clearing. A batch can
 * carry edges and an error together (span edges were seen, then a channel's GET_PARAMS failed).
 * A persisting error is delivered once; `edges: []` without `error` says it has cleared.
 */
export interface RawEdgeBatch {
  /** Milliseconds since the epoch at the poll that saw the edges. */
  at: number;
  edges: RawEdge[];
  /** Set when the poll itself failed (e.g. the ctl fd could not be opened or an ioctl failed). */
  error?: NativeErrorFacts;
}

export interface WatcherOptions {
  intervalMs: number;
  /** Channels whose GET_PARAMS (ABCD bits, hook) are polled as well: CAS and analog ones. */
  channels: number[];
}

/** The errors thrown by the binding carry these facts (Error subclass, plain properties). */
export interface NativeErrorFacts {
  code: string; // errno name, e.g. 'ENOENT', 'EACCES', 'ENOTTY', 'ENOSYS'
  errno: number;
  syscall: string; // e.g. 'open:/dev/dahdi/ctl', 'ioctl:DAHDI_SPANSTAT'
  span?: number;
  channel?: number;
}

/** Every method throws an EBADF error (syscall naming the call) after close(). */
export interface NativeControl {
  /** DAHDI_GETVERSION. */
  version(): { version: string; echoCanceller: string };
  /** DAHDI_SPANSTAT for one span; null when the span does not exist (EINVAL). */
  spanStat(span: number): RawSpanInfo | null;
  /** DAHDI_GET_PARAMS by channel number through the ctl fd; null when no such channel. */
  getParams(channel: number): RawParams | null;
  /**
   * DAHDI_MAINT, off the JS thread; resolves 'unsupported' on ENOSYS/EOPNOTSUPP/ENOTTY, rejects
   * on other errors (EINVAL: no such span), and rejects (never throws) after close().
   */
  maintenance(span: number, command: number): Promise<'done' | 'unsupported'>;
  close(): void;
  readonly closed: boolean;
}

export interface NativeWatcher {
  stop(): Promise<void>;
}

export interface NativeOwnedChannel {
  readonly channel: number;
  close(): void;
}

export interface NativeBinding {
  /** Opens `${devDir}/ctl`. */
  openControl(devDir: string): NativeControl;
  /** Starts the polling thread on its own ctl fd; onBatch runs on the JS thread. */
  startWatcher(devDir: string, options: WatcherOptions, onBatch: (batch: RawEdgeBatch) => void): NativeWatcher;
  /**
   * Opens `${devDir}/channel` + DAHDI_SPECIFY (exclusive). POLLPRI readiness is watched on the
   * libuv loop; each wake drains DAHDI_GETEVENT and calls onEvents with the codes. When the fd
   * fails (GETEVENT error, POLLERR) onEvents gets the error, possibly after some codes, and the
   * channel stops polling; close() is still needed.
   */
  openChannel(
    devDir: string,
    channel: number,
    onEvents: (codes: number[], at: number, error?: NativeErrorFacts) => void,
  ): NativeOwnedChannel;
  /** Count of fds and threads the binding holds now (leak checks in tests and benches). */
  resources(): { fds: number; threads: number };
  /** Compile-time facts: the struct sizes the binding was built with. */
  readonly abi: { spaninfo: number; spaninfoV1: number; params: number; maintinfo: number };
}

let cached: NativeBinding | undefined;

/** Loads build/Release/tdmgate_dahdi.node once per process; a missing build is a clear error. */
export function loadBinding(): NativeBinding {
  if (cached) return cached;
  try {
    // node-gyp puts the addon under the package root, whether this code runs from dist/src or
    // from the single-file CLI bundle.
    cached = createRequire(__filename)(path.join(packageRoot(), 'build', 'Release', 'tdmgate_dahdi.node')) as NativeBinding;
    return cached;
  } catch (err) {
    throw new HardwareError(
      'BINDING_MISSING',
      `the DAHDI binding is not built (${(err as Error).message.split('\n')[0]})`,
      { hint: 'run `npm ci` (or `npx node-gyp rebuild`) with dahdi-source installed' },
    );
  }
}

/** Turns an error thrown by the binding into a HardwareError with a next step for the user. */
export function fromNativeError(err: unknown): HardwareError {
  const e = err as Partial<NativeErrorFacts> & { message?: string };
  if (typeof e !== 'object' || e === null || typeof e.code !== 'string') {
    return new HardwareError('SYSTEM_ERROR', String((e as { message?: string })?.message ?? err));
  }
  const facts = { errnoCode: e.code, errno: e.errno, syscall: e.syscall, span: e.span, channel: e.channel };
  const where = e.syscall ?? 'dahdi';
  switch (e.code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      if (where.startsWith('open:') && where.endsWith('/ctl')) {
        return new HardwareError('DRIVER_MISSING', `DAHDI is not loaded: ${where.slice(5)} does not exist`, {
          ...facts,
          hint: 'load the driver (modprobe dahdi and your card driver, then dahdi_cfg) or use --backend sim',
        });
      }
      if (e.channel !== undefined) {
        return new HardwareError('CHANNEL_UNCONFIGURED', `channel ${e.channel} is not configured (${where}: ${e.code})`, facts);
      }
      return new HardwareError('SYSTEM_ERROR', `${where} failed: ${e.code}`, facts);
    case 'EACCES':
    case 'EPERM':
      return new HardwareError('PERMISSION_DENIED', `permission denied on ${where.replace(/^\w+:/, '')}`, {
        ...facts,
        hint: 'run as root or add this user to the dahdi group (usermod -aG dahdi $USER, then log in again)',
      });
    case 'EBUSY':
      return new HardwareError('CHANNEL_BUSY', `channel ${e.channel ?? '?'} is held by another program (Asterisk?)`, facts);
    case 'ENOTTY':
      return new HardwareError('IOCTL_UNSUPPORTED', `this DAHDI driver does not know ${where.replace(/^ioctl:/, '')}`, {
        ...facts,
        hint: 'the kernel DAHDI is older than the headers tdmgate was built with; upgrade DAHDI',
      });
    default:
      return new HardwareError('SYSTEM_ERROR', `${where} failed: ${e.code}${e.message ? ` (${e.message})` : ''}`, facts);
  }
}
