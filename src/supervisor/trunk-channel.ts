// Which trunk channel an Asterisk channel is on, for inbound and outbound calls alike: the
// name says it for CAS/analog (DAHDI/<chan>-1); a PRI/BRI name says only the span
// (DAHDI/i<span>/...). The channel number then comes from the dialplan when it passes it as the
// first Stasis argument - `Stasis(tdmgate,${CHANNEL(dahdi_channel)})`, docs/supervisor.md -
// and otherwise from CHANNEL(dahdi_channel) over ARI: one REST call more per call.

import type { AriChannel } from './ari/ari-events';
import type { NameResult, ResolvedChannel, TrunkMap } from './trunk-map';

export async function resolveTrunkChannel(
  trunkMap: TrunkMap,
  ari: { getVariable(channelId: string, variable: string): Promise<string> },
  ch: { id: string; name: string },
  stasisHint: number | null = null,
): Promise<NameResult<ResolvedChannel>> {
  const byName = trunkMap.resolveChannelName(ch.name);
  if (!byName.ok || byName.value.kind !== 'span') return byName;
  if (stasisHint !== null) {
    // Trusted only when it fits the span the name gives; a stale or odd argument falls back.
    const hinted = trunkMap.resolveChannelName(ch.name, { dahdiChannel: stasisHint });
    if (hinted.ok && hinted.value.kind === 'channel') return hinted;
  }
  const text = (await ari.getVariable(ch.id, 'CHANNEL(dahdi_channel)')).trim();
  return trunkMap.resolveChannelName(ch.name, { dahdiChannel: /^\d+$/.test(text) ? Number(text) : null });
}

/**
 * The DAHDI channel number the dialplan passed as the first Stasis argument, if it did: from the
 * StasisStart's args, or from the channel's app_data (`tdmgate,62`) when found by a listing.
 */
export function stasisChannelHint(ch: AriChannel, args?: readonly string[]): number | null {
  const first = args !== undefined ? args[0] : ch.dialplan.app_name === 'Stasis' ? ch.dialplan.app_data.split(',')[1] : undefined;
  const text = first?.trim() ?? '';
  return /^\d{1,4}$/.test(text) ? Number(text) : null;
}
