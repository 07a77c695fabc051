// China first (issue 9, section 3): MFC/R2 defaults follow the variant (cn: no CRC-4, 20
// caller-ID digits), a routing number longer than an R2 span delivers is a warning naming the
// span and the setting to raise, and a variant written as the country gets its code suggested.

import assert from 'node:assert/strict';
import { generateConfig } from '../../src/provisioning/generate';
import { minDigits } from '../../src/provisioning/site/digit-limits';
import { e1Site, invalid, valid } from './site-helpers';

const r2 = (mfcr2: string, extra = ''): string => `{ line: E1, signalling: mfcr2, mfcr2: ${mfcr2}, group: 1${extra} }`;
const TARGETS = 'routing:\n  numbering: { country: "86" }\n  targets:\n    - { name: vip-desk, context: cc-vip }\n    - { name: queue, context: cc-queue }\n';

function system(yaml: string): string {
  const { site, source } = valid(yaml);
  return generateConfig(site, source).find((f) => f.target === '/etc/dahdi/system.conf')?.content ?? '';
}

describe('China first: MFC/R2 defaults follow the variant', () => {
  it('cn runs without CRC-4 unless told; other variants keep E1\'s CRC-4', () => {
    const cn = valid(e1Site(r2('{ variant: cn }'))).site.cards[0]?.spans[0];
    assert.equal(cn?.crc4, false);
    assert.match(system(e1Site(r2('{ variant: cn }'))), /\nspan=1,1,0,cas,hdb3\n/);
    assert.equal(valid(e1Site(r2('{ variant: cn }', ', crc4: true'))).site.cards[0]?.spans[0]?.crc4, true);
    assert.match(system(e1Site(r2('{ variant: mx }'))), /\nspan=1,1,0,cas,hdb3,crc4\n/);
  });

  it('cn takes 20 caller-ID digits by default (an 11-digit mobile is not cut), other variants chan_dahdi\'s 10', () => {
    const sig = (mfcr2: string) => valid(e1Site(r2(mfcr2))).site.cards[0]?.spans[0]?.signalling;
    assert.deepEqual(sig('{ variant: cn }'), { type: 'mfcr2', variant: 'cn', category: 'national_subscriber', maxAni: 20, maxDnis: 4 });
    assert.equal((sig('{ variant: br }') as { maxAni: number }).maxAni, 10);
    assert.equal((sig('{ variant: cn, maxAni: 12 }') as { maxAni: number }).maxAni, 12);
  });

  it('"china" gets "cn" suggested, with the reason', () => {
    invalid(e1Site(r2('{ variant: china }')), [/site\.yaml:\d+: cards\[0\]\.spans\[0\]\.mfcr2\.variant: "china" is not one of ar, br, cn, .* \(did you mean "cn"\? OpenR2 names variants by country code\)/]);
    invalid(e1Site(r2('{ variant: Mexico }')), [/did you mean "mx"\?/]);
  });
});

describe('China first: routing numbers an MFC/R2 span cannot deliver', () => {
  it('counts the digits a pattern needs as received', () => {
    assert.equal(minDigits('13812345678', null), 11);
    assert.equal(minDigits('_1[3-9]XXXXXXXXX', null), 11);
    assert.equal(minDigits('_400X.', null), 5);
    assert.equal(minDigits('_0X!', null), 2);
    assert.equal(minDigits('+8613812345678', '86'), 11);
    assert.equal(minDigits('+8613812345678', null), null);
  });

  it('warns when a VIP, blacklist or rule pattern needs more digits than maxAni/maxDnis, naming the span and the setting', () => {
    const routing = `${TARGETS}  vip:\n    - { name: gold, callers: ["13812345678"], target: vip-desk }\n  blacklist: { callers: ["+8613900000000", "10086"] }\n` +
      '  inbound:\n    - { name: sales, did: "_6688XXXX", target: queue }\n  default: queue\n';
    const warnings = valid(e1Site(r2('{ variant: cn, maxAni: 10 }')) + routing).warnings.map((w) => `${w.line ?? '?'}: ${w.message}`);
    const has = (re: RegExp): void => assert.ok(warnings.some((w) => re.test(w)), warnings.join('\n'));
    has(/^\d+: routing\.vip\[0\]\.callers\[0\]: "13812345678" needs at least 11 digits but MFC\/R2 span 1 \(cards\[0\]\.spans\[0\]\.mfcr2\.maxAni: 10\) delivers fewer caller-ID digits: .*raise maxAni to 11 or more/);
    has(/routing\.blacklist\.callers\[0\]: "\+8613900000000" needs at least 11 digits/);
    has(/routing\.inbound\[0\]\.did\[0\]: "_6688XXXX" needs at least 8 digits .*mfcr2\.maxDnis: 4.*raise maxDnis to 8 or more/);
    assert.ok(!warnings.some((w) => /"10086" needs at least/.test(w)), 'a 5-digit prefix fits');
    // The cn defaults carry the mobile number; a rule only on a PRI group is not limited by the R2 span.
    const fine = valid(e1Site(r2('{ variant: cn, maxDnis: 8 }')) + routing).warnings;
    assert.deepEqual(fine.filter((w) => /needs at least/.test(w.message)), []);
    const priOnly = e1Site(r2('{ variant: cn }'), '{ line: E1, signalling: pri_cpe, group: 2 }').replace('groups:\n', 'groups:\n  - { number: 2, name: pri, context: from-pri }\n') +
      `${TARGETS}  inbound:\n    - { name: sales, did: "_6688XXXX", groups: [pri], target: queue }\n  default: queue\n`;
    assert.deepEqual(valid(priOnly).warnings.filter((w) => /needs at least/.test(w.message)), []);
  });
});
