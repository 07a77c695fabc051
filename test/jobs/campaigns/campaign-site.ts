// The site the campaign tests load against: China (numbering +86 with mobiles dialled without
// the trunk prefix, Asia/Shanghai), an outbound group with its retry settings, an inbound-only
// group, and a routing target for answered calls.

import { parseSite } from '../../../src/provisioning/site/load';
import { compileNumbering, type NumberingPlan } from '../../../src/supervisor/numbering/numbering';
import type { SiteConfig } from '../../../src/provisioning/site/site-types';

export const SITE_YAML = `site: campaign-test
toneZone: cn
timezone: Asia/Shanghai
cards:
  - location: PCI_Bus_03_Slot_00
    spans:
      - { line: E1, signalling: pri_cpe, group: carrier }
      - { line: E1, signalling: pri_cpe, group: incoming }
groups:
  - { number: 1, name: carrier, context: from-carrier }
  - { number: 2, name: incoming, context: from-in, direction: in }
routing:
  numbering: { country: "86", nationalPrefix: "0", internationalPrefix: "00", localAreaCode: "10", nationalPatterns: ["_1[3-9]XXXXXXXXX"] }
  targets:
    - { name: agents, context: cc-agents, extension: s }
  default: agents
  outbound:
    - { group: carrier, maxRetries: 1 }
`;

export const site: SiteConfig = parseSite(SITE_YAML, 'site.yaml').site;
export const plan: NumberingPlan = compileNumbering(site.routing?.numbering ?? (() => { throw new Error('test site has no numbering'); })());

/** The i-th distinct Chinese mobile number, as a CRM would export it (national form). */
export function mobile(i: number): string {
  return `138${String(i).padStart(8, '0')}`;
}
