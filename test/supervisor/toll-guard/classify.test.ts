// The toll guard's destination classes, country by country: the built-in ranges of China,
// Germany, the UK and NANP, the site's own area as local, calls abroad, and the ranges a site
// file adds (its own country's national numbers, and '+' ranges for any country).

import assert from 'node:assert/strict';
import type { NumberClasses } from '../../../src/provisioning/site/guard-types';
import type { Numbering } from '../../../src/provisioning/site/routing-types';
import { compileNumbering, toE164 } from '../../../src/supervisor/numbering/numbering';
import { compileClassifier } from '../../../src/supervisor/toll-guard/classify';

const CN: Numbering = { country: '86', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: '10', nationalPatterns: ['_1[3-9]XXXXXXXXX', '_400XXXXXXX', '_800XXXXXXX', '_95XXX', '_95XXXX'] };
const DE: Numbering = { country: '49', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: '69', nationalPatterns: [] };
const GB: Numbering = { country: '44', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: '20', nationalPatterns: [] };
const US: Numbering = { country: '1', nationalPrefix: '1', internationalPrefix: '011', localAreaCode: '212', nationalPatterns: ['_NXXNXXXXXX'] };

/** [number as dialled at the site, class, abroad] */
type Row = [string, string, boolean];

function table(numbering: Numbering, rows: Row[]): void {
  const plan = compileNumbering(numbering);
  const classifier = compileClassifier(numbering);
  for (const [dialled, expected, abroad] of rows) {
    it(`${dialled} -> ${expected}${abroad ? ' (abroad)' : ''}`, () => {
      const d = classifier.classify(toE164(dialled, plan));
      assert.equal(d.class, expected);
      assert.equal(d.abroad, abroad);
    });
  }
}

describe('toll guard: destination classes', () => {
  describe('China (+86, Beijing)', () => table(CN, [
    ['13800138000', 'mobile', false],
    ['19912345678', 'mobile', false],
    ['12345678', 'local', false],
    ['01012345678', 'local', false],
    ['02112345678', 'national', false],
    ['4001234567', 'shared-cost', false],
    ['8001234567', 'toll-free', false],
    ['95555', 'shared-cost', false],
    ['955888', 'shared-cost', false],
    // Yinchuan (0951) numbers are 7-8 digits after their area code: not a 95xxx service number.
    ['09511234567', 'national', false],
    ['+85221234567', 'international', true],
    ['0044 20 7946 0000', 'international', true],
    // A UK premium number called from China: abroad, and premium by the UK's own ranges.
    ['0044 909 8790000', 'premium', true],
  ]));

  describe('Germany (+49, Frankfurt)', () => table(DE, [
    ['069 1234567', 'local', false],
    ['030 1234567', 'national', false],
    ['0151 12345678', 'mobile', false],
    ['0160 1234567', 'mobile', false],
    ['0171 1234567', 'mobile', false],
    ['0900 1234567', 'premium', false],
    ['0137 1234567', 'premium', false],
    ['011833', 'premium', false],
    ['0180 1234567', 'shared-cost', false],
    ['0800 1234567', 'toll-free', false],
    ['+8613800138000', 'international', true],
  ]));

  describe('United Kingdom (+44, London)', () => table(GB, [
    ['020 7946 0000', 'local', false],
    ['0161 496 0000', 'national', false],
    ['07700 900123', 'mobile', false],
    ['070 1234 5678', 'premium', false],
    ['0909 879 0000', 'premium', false],
    ['0845 123 4567', 'shared-cost', false],
    ['0870 123 4567', 'shared-cost', false],
    ['0800 123 4567', 'toll-free', false],
    ['0808 123 4567', 'toll-free', false],
  ]));

  describe('NANP (+1, New York)', () => table(US, [
    ['2125551234', 'local', false],
    ['3125551234', 'national', false],
    ['19005551234', 'premium', false],
    ['18005551234', 'toll-free', false],
    ['18885551234', 'toll-free', false],
    ['011 49 30 1234567', 'international', true],
  ]));

  describe('ranges from the site file', () => {
    const classes: NumberClasses = { premium: ['_+1876XXXXXXX', '_+88216XXXXXXXX'], sharedCost: ['30555'], tollFree: [], mobile: ['_6999XXXXXX'] };
    const numbering: Numbering = { ...DE, classes };
    const plan = compileNumbering(numbering);
    const c = compileClassifier(numbering);
    const classOf = (n: string) => c.classify(toE164(n, plan)).class;
    it('a national range of the site\'s own country', () => {
      assert.equal(classOf('030 5551234'), 'shared-cost');
      assert.equal(classOf('030 4441234'), 'national');
      assert.equal(classOf('069 99123456'), 'mobile', 'a site range before the local area');
    });
    it('a + range reaches any country: Jamaica in +1, a satellite network', () => {
      assert.equal(classOf('001 876 555 1234'), 'premium');
      assert.equal(classOf('00882 16 12345678'), 'premium');
      assert.equal(classOf('001 212 555 1234'), 'international');
    });
    it('a national range never applies abroad: another country\'s 030555 is just international', () => {
      assert.equal(c.classify({ e164: '+33305551234', country: '33', national: '305551234' }).class, 'international');
    });
  });

  it('without a numbering plan every number is abroad: the guard cannot tell home from away', () => {
    const d = compileClassifier(null).classify({ e164: '+49301234567', country: '49', national: '301234567' });
    assert.deepEqual(d, { e164: '+49301234567', country: '49', class: 'international', abroad: true });
  });
});
