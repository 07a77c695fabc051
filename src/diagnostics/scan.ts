// The scan report: cards, driver, spans and what their channels are used for, read once from a
// backend. The summaries are pure; collectScan() is the only part that talks to the hardware.

import { SIG_FXO, SIG_FXS, SIGTYPES } from '../hardware/dahdi-constants';
import type { CardInfo, ChannelStatus, DriverInfo, HardwareBackend, HookState, SpanStatus } from '../hardware/types';

const D_CHANNEL_SIGTYPES: readonly number[] = [SIGTYPES.HARDHDLC, SIGTYPES.HDLCFCS, SIGTYPES.HDLCNET, SIGTYPES.HDLCRAW, SIGTYPES.MTP2];

export interface ChannelUsage {
  total: number;
  /** Channels with a signalling type (configured in system.conf). */
  configured: number;
  /** null when the driver cannot say who holds a channel. */
  inUse: number | null;
  dChannels: number;
  /** Configured voice channels: PRI B-channels, CAS/R2 channels, analog ports. */
  bChannels: number;
}

export type PortKind = 'FXS' | 'FXO' | 'unknown';

export interface AnalogPort {
  channel: number;
  /** The port as it is labelled on the card: FXS feeds a phone, FXO takes an exchange line. */
  kind: PortKind;
  hook: HookState | null;
}

export interface ScanSpan {
  status: SpanStatus;
  usage: ChannelUsage;
  /** Present for analog spans only. */
  ports?: AnalogPort[];
}

export interface ScanData {
  driver: DriverInfo;
  cards: CardInfo[];
  spans: ScanSpan[];
}

export function isDChannel(channel: ChannelStatus): boolean {
  return D_CHANNEL_SIGTYPES.includes(channel.sigtype);
}

export function channelUsage(channels: readonly ChannelStatus[]): ChannelUsage {
  const configured = channels.filter((c) => c.sigtype !== SIGTYPES.NONE);
  const dChannels = configured.filter(isDChannel).length;
  const known = channels.every((c) => c.inUse !== null);
  return {
    total: channels.length,
    configured: configured.length,
    inUse: known ? channels.filter((c) => c.inUse === true).length : null,
    dChannels,
    bChannels: configured.length - dChannels,
  };
}

/** DAHDI names analog signalling from the far side: FXO signalling runs on an FXS port. */
function signallingKind(bits: number): PortKind {
  const fxo = (bits & SIG_FXO) !== 0;
  const fxs = (bits & SIG_FXS) !== 0;
  if (fxo === fxs) return 'unknown';
  return fxo ? 'FXS' : 'FXO';
}

/** Port kind from the configured signalling, else from what the port is capable of. */
export function portKind(channel: ChannelStatus): PortKind {
  const byType = signallingKind(channel.sigtype);
  return byType !== 'unknown' ? byType : signallingKind(channel.sigcap);
}

export function analogPorts(channels: readonly ChannelStatus[]): AnalogPort[] {
  return channels.map((c) => ({ channel: c.channel, kind: portKind(c), hook: c.hook }));
}

export async function collectScan(backend: HardwareBackend): Promise<ScanData> {
  const [driver, cards, statuses] = await Promise.all([backend.driver(), backend.cards(), backend.spans()]);
  const spans = await Promise.all(
    statuses.map(async (status): Promise<ScanSpan> => {
      const channels = await backend.channels(status.span);
      const usage = channelUsage(channels);
      return status.spanType === 'ANALOG' ? { status, usage, ports: analogPorts(channels) } : { status, usage };
    }),
  );
  return { driver, cards, spans };
}
