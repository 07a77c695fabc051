// Which trunk channel an Asterisk channel is on, for inbound and outbound calls alike: the
// name says it for CAS/analog (DAHDI/<chan>-1); a PRI/BRI name says only the span
// (DAHDI/i<span>/...), so CHANNEL(dahdi_channel) is asked over ARI - one REST call.

import type { NameResult, ResolvedChannel, TrunkMap } from './trunk-map';

export async function resolveTrunkChannel(
  trunkMap: TrunkMap,
  ari: { getVariable(channelId: string, variable: string): Promise<string> },
  ch: { id: string; name: string },
): Promise<NameResult<ResolvedChannel>> {
  const byName = trunkMap.resolveChannelName(ch.name);
  if (!byName.ok || byName.value.kind !== 'span') return byName;
  const text = (await ari.getVariable(ch.id, 'CHANNEL(dahdi_channel)')).trim();
  return trunkMap.resolveChannelName(ch.name, { dahdiChannel: /^\d+$/.test(text) ? Number(text) : null });
}
