// The hardware contract: what every backend (the real DAHDI driver, the simulator) tells about
// cards, spans, channels and their changes. Everything above src/hardware/ speaks only this.

import type { AlarmName, LineConfigName, MaintenanceOp } from './dahdi-constants';

export type BackendKind = 'dahdi' | 'sim';

/** Error counters as DAHDI names them; slips come from /proc/dahdi/N, the rest from SPANSTAT. */
export const COUNTER_NAMES = ['bpv', 'crc4', 'ebit', 'fas', 'fe', 'cv', 'be', 'prbs', 'errsec', 'irqmisses', 'slips'] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/**
 * A counter's value, or null when the span's driver never writes it ("not reported by this
 * driver") - a technician must not read a driver's silence as a clean line.
 */
export type Counters = Record<CounterName, number | null>;

export type SpanType = 'E1' | 'T1' | 'J1' | 'BRI' | 'ANALOG' | 'DYNAMIC' | 'UNKNOWN';

export interface SpanStatus {
  /** DAHDI span number, 1-based, global on the host. */
  span: number;
  name: string;
  description: string;
  /** Raw DAHDI alarm bits, and their names. */
  alarms: number;
  alarmNames: AlarmName[];
  counters: Counters;
  /** The kernel driver that owns the span (wct4xxp, wanpipe, dahdi_dynamic_loc, sim, ...). */
  driver: string;
  /** Span number we take clock from, 0 = free run / internal. */
  syncSource: number;
  lbo: number;
  lboName: string;
  lineConfig: number;
  lineConfigNames: LineConfigName[];
  spanType: SpanType;
  /** The raw span type text the driver reported (e.g. "E1", "DYNAM", "FXS"). */
  spanTypeText: string;
  /** First global channel number of the span, and channel counts. */
  baseChannel: number;
  totalChannels: number;
  configuredChannels: number;
  location: string;
  manufacturer: string;
  deviceType: string;
  /** Line configs the span's hardware accepts (DAHDI_CONFIG_* bits, as lineConfig), 0 for analog spans. */
  linecompat: number;
  txLevel: number;
  rxLevel: number;
}

export type HookState = 'onhook' | 'offhook';

export interface ChannelStatus {
  /** Global DAHDI channel number. */
  channel: number;
  span: number;
  /** Position inside the span: the timeslot on E1/T1 (TS16 is position 16 on E1). */
  position: number;
  name: string;
  sigtype: number;
  sigtypeName: string;
  sigcap: number;
  /** Hook state for FXS/FXO/E&M channels, null where hook has no meaning (PRI B/D channels). */
  hook: HookState | null;
  /** Received/transmitted ABCD bits, null when the span carries no robbed-bit/CAS bits. */
  rxBits: number | null;
  txBits: number | null;
  chanAlarms: number;
  /** Held open by a program (Asterisk normally); null when the driver cannot say. */
  inUse: boolean | null;
}

export interface DriverInfo {
  backend: BackendKind;
  version: string;
  echoCanceller: string;
}

export interface CardInfo {
  /** PCI address (0000:03:00.0) or the sim's virtual location. */
  location: string;
  vendorId: number;
  deviceId: number;
  subVendorId: number;
  subDeviceId: number;
  vendor: string;
  model: string;
  ports: number;
  portKind: 'E1/T1' | 'BRI' | 'analog' | 'unknown';
  echoCanceller: string | null;
  /** Kernel module that drives the board, and whether it is loaded / present in modules.alias. */
  kernelModule: string | null;
  moduleLoaded: boolean;
  driverAvailable: boolean;
  /** Notes for the technician, e.g. "needs OpenVox's DAHDI fork". */
  notes: string[];
}

interface EventBase {
  /** Milliseconds since the epoch when the change was seen. */
  at: number;
  span: number;
}

export type HardwareEvent =
  | (EventBase & { kind: 'alarm'; previous: number; alarms: number; raised: AlarmName[]; cleared: AlarmName[] })
  | (EventBase & { kind: 'counters'; deltas: Partial<Record<CounterName, number>> })
  | (EventBase & { kind: 'hook'; channel: number; hook: HookState })
  | (EventBase & { kind: 'abcd'; channel: number; previous: number; bits: number })
  | (EventBase & { kind: 'span-added' | 'span-removed' })
  | (EventBase & { kind: 'dchannel'; up: boolean });

export type HardwareEventKind = HardwareEvent['kind'];

export interface WatchOptions {
  /** Poll interval of the change watcher, ms. DAHDI raises no alarm notifications, so we poll. */
  intervalMs?: number;
}

export const DEFAULT_WATCH_INTERVAL_MS = 250;

export interface Subscription {
  close(): Promise<void>;
}

export type MaintenanceOutcome = { supported: true } | { supported: false; reason: string };

/** A channel this process opened itself (never one Asterisk holds): its DAHDI_GETEVENT events. */
export interface OwnedChannel {
  readonly channel: number;
  onEvent(listener: (event: { code: number; name: string; at: number }) => void): void;
  close(): Promise<void>;
}

export interface HardwareBackend {
  readonly kind: BackendKind;
  driver(): Promise<DriverInfo>;
  cards(): Promise<CardInfo[]>;
  spans(): Promise<SpanStatus[]>;
  /** Throws HardwareError UNKNOWN_SPAN naming the spans that exist. */
  span(span: number): Promise<SpanStatus>;
  channels(span: number): Promise<ChannelStatus[]>;
  /** Batches of edge events, one batch per poll that saw a change. */
  subscribe(listener: (batch: readonly HardwareEvent[]) => void, options?: WatchOptions): Subscription;
  maintenance(span: number, op: MaintenanceOp): Promise<MaintenanceOutcome>;
  openChannel(channel: number): Promise<OwnedChannel>;
  close(): Promise<void>;
}
