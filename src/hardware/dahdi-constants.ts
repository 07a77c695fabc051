// The numbers of DAHDI's user ABI (<dahdi/user.h>) that the TypeScript side interprets:
// alarm bits, line-config bits, signalling types, maintenance commands and channel event codes.
// Both backends speak in these values so that the sim is indistinguishable from the driver.

export const ALARM_BITS = {
  RECOVER: 1,
  LOOPBACK: 2,
  YELLOW: 4,
  RED: 8,
  BLUE: 16,
  NOTOPEN: 32,
  LOS: 256,
  LFA: 512,
  LMFA: 1024,
} as const;
export type AlarmName = keyof typeof ALARM_BITS;
export const ALARM_NAMES = Object.keys(ALARM_BITS) as AlarmName[];

/** Alarms that stop calls on a span; RECOVER/LOOPBACK/NOTOPEN are states, not line failures. */
export const SERVICE_AFFECTING_ALARMS: readonly AlarmName[] = ['RED', 'YELLOW', 'BLUE', 'LOS', 'LFA', 'LMFA'];

export function alarmNames(bits: number): AlarmName[] {
  return ALARM_NAMES.filter((name) => (bits & ALARM_BITS[name]) !== 0);
}

export function alarmBits(names: readonly AlarmName[]): number {
  return names.reduce((bits, name) => bits | ALARM_BITS[name], 0);
}

export const LINECONFIG_BITS = {
  D4: 16,
  ESF: 32,
  AMI: 64,
  B8ZS: 128,
  CCS: 256,
  HDB3: 512,
  CRC4: 1024,
  NTTE: 2048,
  TERM: 4096,
} as const;
export type LineConfigName = keyof typeof LINECONFIG_BITS;

export function lineConfigNames(bits: number): LineConfigName[] {
  return (Object.keys(LINECONFIG_BITS) as LineConfigName[]).filter((n) => (bits & LINECONFIG_BITS[n]) !== 0);
}

export function lineConfigBits(names: readonly LineConfigName[]): number {
  return names.reduce((bits, name) => bits | LINECONFIG_BITS[name], 0);
}

/** ABCD robbed-bit / CAS bits as DAHDI packs them in rxbits/txbits. */
export const ABCD_BITS = { A: 8, B: 4, C: 2, D: 1 } as const;

export function abcdText(bits: number | null): string {
  if (bits === null) return '----';
  return (['A', 'B', 'C', 'D'] as const).map((b) => ((bits & ABCD_BITS[b]) !== 0 ? '1' : '0')).join('');
}

// Signalling types (DAHDI_SIG_*), exactly as user.h composes them.
/** user.h's __DAHDI_SIG_FXO/__DAHDI_SIG_FXS: the class bit every FXO-/FXS-signalling type has. */
export const SIG_FXO = 1 << 12;
export const SIG_FXS = 1 << 13;
const SIG_DACS = 1 << 16;
const SIG_CLEAR = 1 << 7;
const SIG_HDLCRAW = (1 << 8) | SIG_CLEAR;
const SIG_HDLCFCS = (1 << 9) | SIG_HDLCRAW;
export const SIGTYPES = {
  NONE: 0,
  FXSLS: (1 << 0) | SIG_FXS,
  FXSGS: (1 << 1) | SIG_FXS,
  FXSKS: (1 << 2) | SIG_FXS,
  FXOLS: (1 << 3) | SIG_FXO,
  FXOGS: (1 << 4) | SIG_FXO,
  FXOKS: (1 << 5) | SIG_FXO,
  EM: 1 << 6,
  CLEAR: SIG_CLEAR,
  HDLCRAW: SIG_HDLCRAW,
  HDLCFCS: SIG_HDLCFCS,
  HDLCNET: (1 << 10) | SIG_HDLCFCS,
  SLAVE: 1 << 11,
  SF: 1 << 14,
  CAS: 1 << 15,
  DACS: SIG_DACS | SIG_CLEAR,
  EM_E1: 1 << 17,
  DACS_RBS: (1 << 18) | SIG_DACS,
  HARDHDLC: (1 << 19) | SIG_CLEAR,
  MTP2: (1 << 20) | SIG_HDLCFCS,
} as const;
export type SigtypeName = keyof typeof SIGTYPES;

// Built once: a scan names every channel of every span (992 on 32 E1s).
const SIGTYPE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(SIGTYPES).map(([name, value]) => [value, name]));

export function sigtypeName(sigtype: number): string {
  return SIGTYPE_NAMES.get(sigtype) ?? `0x${sigtype.toString(16)}`;
}

/**
 * The signalling a channel accepts in DAHDI_CHANCONFIG: its driver's sigcap, plus software HDLC
 * and DACS on any channel that can run clear (dahdi-base.c widens sigcap the same way), so a
 * `dchan` D-channel works on cards whose drivers never list the HDLC bits.
 */
export function acceptedSigtypes(sigcap: number): number {
  return (sigcap & SIGTYPES.CLEAR) !== 0 ? sigcap | SIGTYPES.HDLCRAW | SIGTYPES.HDLCFCS | SIGTYPES.HDLCNET | SIGTYPES.DACS : sigcap;
}

/** Signalling types that have a hook state: analog (FXS/FXO) and E&M. */
export function hasHookState(sigtype: number): boolean {
  return (sigtype & (SIG_FXO | SIG_FXS | SIGTYPES.EM | SIGTYPES.EM_E1)) !== 0;
}

/** Robbed-bit/CAS signalling types whose ABCD bits and hook state are worth watching. */
export function isCasOrAnalog(sigtype: number): boolean {
  return (sigtype & (SIG_FXO | SIG_FXS | SIGTYPES.EM | SIGTYPES.CAS | SIGTYPES.EM_E1 | SIGTYPES.SF)) !== 0;
}

export const MAINT_COMMANDS = {
  none: 0,
  'local-loop': 1,
  'network-line-loop': 2,
  loopup: 3,
  loopdown: 4,
  'network-payload-loop': 13,
  'reset-counters': 14,
} as const;
export type MaintenanceOp = keyof typeof MAINT_COMMANDS;
export const MAINTENANCE_OPS = Object.keys(MAINT_COMMANDS) as MaintenanceOp[];

/** Channel event codes returned by DAHDI_GETEVENT (low 16 bits). */
export const CHANNEL_EVENTS = {
  NONE: 0,
  ONHOOK: 1,
  RINGOFFHOOK: 2,
  WINKFLASH: 3,
  ALARM: 4,
  NOALARM: 5,
  ABORT: 6,
  OVERRUN: 7,
  BADFCS: 8,
  DIALCOMPLETE: 9,
  RINGERON: 10,
  RINGEROFF: 11,
  HOOKCOMPLETE: 12,
  BITSCHANGED: 13,
  PULSE_START: 14,
  TIMER_EXPIRED: 15,
  TIMER_PING: 16,
  POLARITY: 17,
  RINGBEGIN: 18,
  EC_DISABLED: 19,
  REMOVED: 20,
} as const;
export type ChannelEventName = keyof typeof CHANNEL_EVENTS;
export const EVENT_PULSEDIGIT = 1 << 16;
export const EVENT_DTMFDOWN = 1 << 17;
export const EVENT_DTMFUP = 1 << 18;

export function channelEventName(code: number): string {
  if (code & EVENT_PULSEDIGIT) return `PULSEDIGIT(${String.fromCharCode(code & 0xffff)})`;
  if (code & EVENT_DTMFDOWN) return `DTMFDOWN(${String.fromCharCode(code & 0xffff)})`;
  if (code & EVENT_DTMFUP) return `DTMFUP(${String.fromCharCode(code & 0xffff)})`;
  const entry = Object.entries(CHANNEL_EVENTS).find(([, v]) => v === code);
  return entry ? entry[0] : `EVENT_${code}`;
}

/** Channels per span as DAHDI numbers them: E1 31 (TS16 included), T1/J1 24, BRI 3. */
export const CHANNELS_PER_SPAN = { E1: 31, T1: 24, J1: 24, BRI: 3 } as const;

export const DAHDI_MAX_SPANS = 128;
export const DAHDI_MAX_CHANNELS = 1024;
