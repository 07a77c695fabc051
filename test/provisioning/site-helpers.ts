// Shared by the provisioning tests: paths to the examples and golden files, and an assertion
// that a site text fails with SITE_INVALID and messages matching every pattern.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createSimBackend, ManualClock, parseScenario } from '../../src/hardware/sim';
import { isProvisioningError } from '../../src/provisioning/errors';
import { parseSite } from '../../src/provisioning/site/load';
import type { HardwareFacts, LoadedSite } from '../../src/provisioning/site/site-types';

// Tests run from dist/test/provisioning; the examples live in the source tree.
export const ROOT = join(__dirname, '..', '..', '..');
export const EXAMPLES = join(ROOT, 'dahdi-config', 'examples');
export const GOLDEN = join(ROOT, 'test', 'fixtures', 'provisioning', 'golden');

export function invalid(yaml: string, patterns: RegExp[], hardware?: HardwareFacts): void {
  assert.throws(() => parseSite(yaml, 'site.yaml', { hardware }), (err: unknown) => {
    assert.ok(isProvisioningError(err, 'SITE_INVALID'), String(err));
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

export function valid(yaml: string, hardware?: HardwareFacts): LoadedSite {
  return parseSite(yaml, 'site.yaml', { hardware });
}

/** A one-card site around the given span lines (YAML flow mappings), with group 1 defined. */
export function e1Site(...spans: string[]): string {
  return `site: t\ntoneZone: de\ncards:\n  - location: PCI_Bus_03_Slot_01\n    spans:\n${spans.map((s) => `      - ${s}\n`).join('')}` +
    'groups:\n  - { number: 1, name: carrier, context: from-carrier }\n';
}

/** What the sim backend detects for a scenario: spans, cards and every channel. */
export async function simFacts(scenarioYaml: string): Promise<HardwareFacts> {
  const sim = createSimBackend({ scenario: parseScenario(scenarioYaml), clock: new ManualClock() });
  try {
    const spans = await sim.spans();
    const channels = (await Promise.all(spans.map((s) => sim.channels(s.span)))).flat();
    return { spans, cards: await sim.cards(), channels };
  } finally {
    await sim.close();
  }
}
