// Benchmark of provisioning: validate + generate for a 32-span site (four 8-port E1 cards,
// EuroISDN PRI, two trunk groups), median of repeated runs. Goal from issue 3: < 100 ms.

import { performance } from 'node:perf_hooks';
import { generateConfig } from '../src/provisioning/generate';
import { parseSite } from '../src/provisioning/site/load';
import { formatResult, percentile, type BenchResult } from './report';

const RUNS = 30;

/** 32 E1 PRI spans on four cards pinned by location, split over two groups, with routes. */
export function thirtyTwoSpanSite(): string {
  const span = (card: number, port: number): string =>
    `      - { port: ${port}, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: ${card < 2 ? 'carrier-a' : 'carrier-b'} }`;
  const card = (i: number): string =>
    `  - name: TE820 ${i + 1}\n    location: PCI_Bus_0${i + 2}_Slot_01\n    portCount: 8\n    spans:\n` +
    `${Array.from({ length: 8 }, (_, p) => span(i, p + 1)).join('\n')}\n`;
  return 'site: bench-32-e1\ntoneZone: cn\nechoCanceller: oslec\ncards:\n' + [0, 1, 2, 3].map(card).join('') +
    'groups:\n  - { number: 1, name: carrier-a, context: from-a, hunt: round-robin }\n' +
    '  - { number: 2, name: carrier-b, context: from-b, hunt: descending }\n' +
    'routes:\n  - { name: all, groups: [carrier-a, carrier-b] }\n';
}

export async function provisioningBench(): Promise<BenchResult[]> {
  const text = thirtyTwoSpanSite();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const { site, source } = parseSite(text, 'bench-32-e1.yaml');
    generateConfig(site, source);
    times.push(performance.now() - started);
  }
  return [{ name: 'provision validate + generate, 32 E1 spans (median)', value: percentile(times, 50), unit: 'ms', goal: '< 100' }];
}

if (require.main === module) {
  void provisioningBench().then((results) => {
    for (const r of results) console.log(formatResult(r));
  });
}
