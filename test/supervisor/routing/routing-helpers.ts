// Shared by the routing tests: a site text with a routing section, read through the real site
// checker, compiled for the decider; and a call builder.

import { parseSite } from '../../../src/provisioning/site/load';
import { compileInbound, type InboundRules } from '../../../src/supervisor/routing/compile';
import type { InboundCall } from '../../../src/supervisor/routing/types';

const CARDS = `cards:
  - location: PCI_Bus_03_Slot_01
    spans:
      - { line: E1, signalling: pri_cpe, group: carrier }
      - { line: E1, signalling: pri_cpe, group: backup }
groups:
  - { number: 1, name: carrier, context: from-carrier }
  - { number: 2, name: backup, context: from-backup }
`;

/** Rules from a routing section (YAML, indented two spaces under `routing:`). */
export function rulesFor(routing: string, timezone = 'Asia/Shanghai'): InboundRules {
  const { site } = parseSite(`site: t\ntoneZone: cn\ntimezone: ${timezone}\n${CARDS}routing:\n${routing}`, 'site.yaml');
  return compileInbound(site);
}

export function call(extra: Partial<InboundCall> = {}): InboundCall {
  return { did: '64001234', callerId: '13912345678', span: 1, timeslot: 5, groups: [1], at: new Date('2025-03-05T03:00:00Z'), ...extra };
}

export const idle = { activeCallsByTarget: {} };
