// Entry point of the generators: a validated site in, the DAHDI, Asterisk and modprobe files out,
// in a fixed order with fixed install paths. Pure: no clock, no file system, byte-stable output.

import type { SiteConfig, SiteSource } from '../site/site-types';
import { CHAN_DAHDI_INCLUDE, chanDahdiConf } from './chan-dahdi';
import { DIALPLAN_FILE, dialplanConf } from './dialplan';
import { assignedSpansConf, modprobeConf, spanTypesConf } from './span-assignments';
import { systemConf } from './system-conf';
import type { GenerateOptions, GeneratedFile } from './types';

export type { ChanDahdiMode, GeneratedFile, GenerateOptions } from './types';
export { CHAN_DAHDI_INCLUDE, groupDialString } from './chan-dahdi';
export { DIALPLAN_FILE, DIALPLAN_INCLUDE_LINE } from './dialplan';

export const TARGETS = {
  systemConf: '/etc/dahdi/system.conf',
  assignedSpans: '/etc/dahdi/assigned-spans.conf',
  spanTypes: '/etc/dahdi/span-types.conf',
  chanDahdi: '/etc/asterisk/chan_dahdi.conf',
  chanDahdiInclude: `/etc/asterisk/${CHAN_DAHDI_INCLUDE}`,
  dialplan: `/etc/asterisk/${DIALPLAN_FILE}`,
  modprobe: '/etc/modprobe.d/dahdi-tdmgate.conf',
} as const;

export function generateConfig(site: SiteConfig, source: SiteSource, options: GenerateOptions = {}): GeneratedFile[] {
  const mode = options.chanDahdiMode ?? 'full';
  return [
    { target: TARGETS.systemConf, content: systemConf(site, source) },
    { target: TARGETS.assignedSpans, content: assignedSpansConf(site, source) },
    { target: TARGETS.spanTypes, content: spanTypesConf(site, source) },
    {
      target: mode === 'full' ? TARGETS.chanDahdi : TARGETS.chanDahdiInclude,
      content: chanDahdiConf(site, source, mode),
    },
    { target: TARGETS.dialplan, content: dialplanConf(site, source) },
    // Without it assigned-spans.conf (always written: every site pins its cards) is ignored.
    { target: TARGETS.modprobe, content: modprobeConf(source) },
  ];
}
