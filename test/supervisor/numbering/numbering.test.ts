// Number normalisation tables for China (+86, 0, 00), Germany (+49, 0, 00) and the NANP
// (+1, 1, 011): every form in -> E.164 -> each dial form out; bad input -> INVALID_NUMBER.

import assert from 'node:assert/strict';
import type { DialForm, Numbering } from '../../../src/provisioning/site/routing-types';
import { isNumberingError } from '../../../src/supervisor/numbering/errors';
import { compileNumbering, dialForm, toE164 } from '../../../src/supervisor/numbering/numbering';

const CN = compileNumbering({ country: '86', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: '21', nationalPatterns: ['_1[3-9]XXXXXXXXX'] });
const DE = compileNumbering({ country: '49', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: '69', nationalPatterns: [] });
const US = compileNumbering({ country: '1', nationalPrefix: '1', internationalPrefix: '011', localAreaCode: '212', nationalPatterns: ['_NXXNXXXXXX'] });

type Row = [input: string, e164: string, national: string, international: string, local: string];
const TABLES: [string, ReturnType<typeof compileNumbering>, Row[]][] = [
  ['CN', CN, [
    ['+86 21 6400 1234', '+862164001234', '02164001234', '00862164001234', '64001234'],
    ['00862164001234', '+862164001234', '02164001234', '00862164001234', '64001234'],
    ['021-64001234', '+862164001234', '02164001234', '00862164001234', '64001234'],
    ['64001234', '+862164001234', '02164001234', '00862164001234', '64001234'],
    ['01088886666', '+861088886666', '01088886666', '00861088886666', '01088886666'],
    ['13800138000', '+8613800138000', '13800138000', '008613800138000', '13800138000'],
    ['013800138000', '+8613800138000', '13800138000', '008613800138000', '13800138000'],
    ['+4930123456', '+4930123456', '004930123456', '004930123456', '004930123456'],
  ]],
  ['DE', DE, [
    ['+49 69 123456', '+4969123456', '069123456', '004969123456', '123456'],
    ['0049 69 123456', '+4969123456', '069123456', '004969123456', '123456'],
    ['030 1234567', '+49301234567', '0301234567', '0049301234567', '0301234567'],
    ['123456', '+4969123456', '069123456', '004969123456', '123456'],
    ['01701234567', '+491701234567', '01701234567', '00491701234567', '01701234567'],
    ['0086 13800138000', '+8613800138000', '008613800138000', '008613800138000', '008613800138000'],
  ]],
  ['US', US, [
    ['+1 (212) 555-1234', '+12125551234', '2125551234', '01112125551234', '2125551234'],
    ['1-212-555-1234', '+12125551234', '2125551234', '01112125551234', '2125551234'],
    ['2125551234', '+12125551234', '2125551234', '01112125551234', '2125551234'],
    ['5551234', '+12125551234', '2125551234', '01112125551234', '2125551234'],
    ['011 44 20 7946 0000', '+442079460000', '011442079460000', '011442079460000', '011442079460000'],
  ]],
];

describe('number normalisation', () => {
  for (const [country, plan, rows] of TABLES) {
    for (const [input, e164, ...forms] of rows) {
      it(`${country}: ${input} -> ${e164} -> ${forms.join(' / ')}`, () => {
        const n = toE164(input, plan);
        assert.equal(n.e164, e164);
        const dialForms: DialForm[] = ['national', 'international', 'local'];
        assert.deepEqual(dialForms.map((f) => dialForm(n, plan, f)), forms);
        assert.equal(dialForm(n, plan, 'e164'), e164);
      });
    }
  }

  const bad: [string, RegExp][] = [
    ['', /"" is empty/],
    ['   ', /is empty/],
    ['+86 138 ABC', /"\+86 138 ABC" has "A"/],
    ['13800138000x', /has "x"/],
    ['+8613800138000123', /has 16 digits as \+8613800138000123; E.164 allows 15/],
    ['+', /has no digits/],
    ['+999123', /no assigned country code/],
    ['+86', /no digits after the country code 86/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)} with INVALID_NUMBER naming the input`, () => {
      assert.throws(() => toE164(input, CN), (err: unknown) => {
        assert.ok(isNumberingError(err, 'INVALID_NUMBER'), String(err));
        assert.equal(err.input, input);
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('needs a numbering plan for anything but +E.164, and a local area code for bare local numbers', () => {
    assert.equal(toE164('+8613800138000', null).national, '13800138000');
    assert.throws(() => toE164('13800138000', null), (e: unknown) => isNumberingError(e, 'NO_NUMBERING'));
    const noArea: Numbering = { country: '49', nationalPrefix: '0', internationalPrefix: '00', localAreaCode: null, nationalPatterns: [] };
    assert.throws(() => toE164('123456', compileNumbering(noArea)), (e: unknown) => isNumberingError(e, 'INVALID_NUMBER') && /no localAreaCode/.test(e.message));
    // Italy has no trunk prefix: every number is dialled in full, so a bare number is national.
    const it_ = compileNumbering({ country: '39', nationalPrefix: null, internationalPrefix: '00', localAreaCode: null, nationalPatterns: [] });
    assert.equal(toE164('0612345678', it_).e164, '+390612345678');
  });
});
