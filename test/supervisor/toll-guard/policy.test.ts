// The toll guard's policy: the config file's `guard:` section and the site file's
// routing.numbering.classes / routing.outbound[].guard, each bad value refused with its key and
// what is allowed; the merge of defaults and a token's own rule; and the rules that need no
// counting (class, country, off-hours) as the pure decider applies them.

import assert from 'node:assert/strict';
import { callJobOf } from '../../../src/jobs/call-job';
import { checkRequest } from '../../../src/supervisor/outbound/request';
import { isOutboundError } from '../../../src/supervisor/outbound/errors';
import { loadConfig } from '../../../src/supervisor/config';
import { isSupervisorError } from '../../../src/supervisor/supervisor-errors';
import { decideStatic, isOpen } from '../../../src/supervisor/toll-guard/decide';
import { BUILT_IN_RULE, ruleFor, type GuardRule } from '../../../src/supervisor/toll-guard/guard-policy';
import { parseGuardConfig } from '../../../src/supervisor/toll-guard/read-guard-config';
import type { Destination } from '../../../src/supervisor/toll-guard/classify';
import { e1Site, invalid, valid } from '../../provisioning/site-helpers';

const FILE = '/etc/tdmgate/tdmgate.yaml';

function refused(guard: unknown, ...patterns: RegExp[]): void {
  assert.throws(() => parseGuardConfig(guard, FILE), (err: unknown) => {
    assert.ok(isSupervisorError(err, 'CONFIG_INVALID'), String(err));
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

describe('toll guard: policy', () => {
  describe('the config file\'s guard section', () => {
    it('reads defaults and tokens; a token overrides the defaults key by key', async () => {
      const config = await loadConfig({
        env: {}, flags: { config: FILE },
        readText: () => Promise.resolve(`guard:
  defaults: { allow: [local, national, mobile], countries: ["+86"], callsPerHour: 100 }
  tokens:
    crm: { callsPerHour: 3, countries: ["+86", 852, "+49"], internationalMinutesPerDay: 30,
           offHours: { open: "08:00-20:00", days: mon-fri, allow: [local] } }
`),
      });
      const crm = ruleFor(config.guard, 'crm');
      assert.deepEqual(crm.allow, ['local', 'national', 'mobile']);
      assert.deepEqual(crm.countries, ['86', '852', '49']);
      assert.equal(crm.callsPerHour, 3);
      assert.equal(crm.destinationsPerDay, null);
      assert.equal(crm.internationalMinutesPerDay, 30);
      assert.deepEqual(crm.offHours, { from: 480, to: 1200, days: [1, 2, 3, 4, 5], allow: ['local'] });
      assert.equal(ruleFor(config.guard, 'other').callsPerHour, 100, 'another token has the defaults');
      assert.equal(ruleFor(config.guard, null).offHours, null);
    });

    it('without a guard section: every class but premium, any country, no caps', async () => {
      const config = await loadConfig({ env: {}, flags: { config: FILE }, readText: () => Promise.resolve('demoRate: 10\n') });
      assert.deepEqual(ruleFor(config.guard, 'crm'), BUILT_IN_RULE);
      assert.ok(!BUILT_IN_RULE.allow.includes('premium'));
    });

    it('names the key and what is allowed, every problem at once', () => {
      refused({ defaults: { allow: ['local', 'premuim'] } }, /guard\.defaults\.allow\[1\]: "premuim" is not a destination class \(did you mean "premium"\?\); allowed: local, national, mobile, toll-free, shared-cost, premium, international/);
      refused({ tokens: { crm: { countries: ['+999'] } } }, /guard\.tokens\.crm\.countries\[0\]: "\+999" is not an assigned E\.164 country code/);
      refused({ tokens: { crm: { callsPerHour: -1, destinationsPerDay: 2.5 } } }, /guard\.tokens\.crm\.callsPerHour: expected a number from 0/, /guard\.tokens\.crm\.destinationsPerDay: expected a whole number/);
      refused({ defaults: { offHours: { open: '8-20', allow: ['local'] } } }, /guard\.defaults\.offHours\.open: "8-20" is not the open hours; write "HH:MM-HH:MM"/);
      refused({ defaults: { offHours: { open: '08:00-20:00', days: 'mon-fry' } } }, /offHours\.days: "fry" is not a day/, /offHours\.allow: is required/);
      refused({ defaults: { callsperhour: 3 } }, /guard\.defaults\.callsperhour: unknown key \(did you mean "callsPerHour"\?\); allowed: allow, countries, callsPerHour/);
      refused({ token: {} }, /guard\.token: unknown key.*allowed: defaults, tokens/);
      refused({ tokens: { 'bad name': {} } }, /guard\.tokens\.bad name: "bad name" is not a token name/);
    });

    it('a bad guard section stops loadConfig with CONFIG_INVALID naming the file and key', async () => {
      await assert.rejects(loadConfig({ env: {}, flags: { config: FILE }, readText: () => Promise.resolve('guard:\n  defaults: { callsPerHour: "many" }\n') }),
        (err: unknown) => isSupervisorError(err, 'CONFIG_INVALID') && err.key === `${FILE}: guard.defaults.callsPerHour` && /tdmgate\.yaml: guard\.defaults\.callsPerHour: expected a number/.test(err.message));
    });
  });

  describe('the site file', () => {
    const site = (routing: string) => `${e1Site('{ port: 1, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: carrier }')}timezone: Europe/Berlin\nrouting:\n${routing}`;
    const numbering = (extra: string) => `  numbering: { country: "49", nationalPrefix: "0", localAreaCode: "69"${extra} }\n`;

    it('reads classes and a group\'s guard', () => {
      const loaded = valid(site(`${numbering(', classes: { premium: ["_+1876NXXXXXX", "700"], sharedCost: ["1805"] }')}  outbound:\n    - { group: carrier, guard: { allow: [local, national, international], countries: ["+49", "+43"] } }\n`));
      assert.deepEqual(loaded.site.routing?.numbering?.classes, { premium: ['_+1876NXXXXXX', '700'], sharedCost: ['1805'], tollFree: [], mobile: [] });
      assert.deepEqual(loaded.site.routing?.outbound[0]?.guard, { allow: ['local', 'national', 'international'], countries: ['49', '43'] });
    });

    it('refuses a range written with the national prefix, an unknown class and a bad country, by path', () => {
      invalid(site(numbering(', classes: { premium: ["0900"] }')), [/routing\.numbering\.classes\.premium\[0\]: "0900" starts with the national prefix 0.*write "900"/]);
      invalid(site(numbering(', classes: { expensive: ["900"] }')), [/routing\.numbering\.classes\.expensive: unknown key; allowed: premium, sharedCost, tollFree, mobile/]);
      invalid(site(`${numbering('')}  outbound:\n    - { group: carrier, guard: { allow: [locl], countries: ["+0"] } }\n`), [
        /routing\.outbound\[0\]\.guard\.allow\[0\]: "locl" is not a destination class \(did you mean "local"\?\)/,
        /routing\.outbound\[0\]\.guard\.countries\[0\]: "\+0" is not an assigned E\.164 country code/,
      ]);
    });
  });

  describe('class, country and off-hours (pure)', () => {
    const mon10 = { day: 1, minutes: 600, date: '2026-12-07' };
    const sat10 = { day: 6, minutes: 600, date: '2026-12-12' };
    const dest = (cls: Destination['class'], country = '49', abroad = false): Destination => ({ e164: `+${country}1234567`, country, class: cls, abroad });
    const rule = (over: Partial<GuardRule>): GuardRule => ({ ...BUILT_IN_RULE, ...over });
    const group = { name: 'carrier', guard: undefined };

    it('class: the token\'s allow list, then the group\'s', () => {
      assert.equal(decideStatic(dest('national'), rule({}), 'token crm', group, mon10), null);
      assert.deepEqual(decideStatic(dest('premium'), rule({}), 'token crm', group, mon10)?.rule, 'class');
      const byGroup = decideStatic(dest('mobile'), rule({}), 'token crm', { name: 'carrier', guard: { allow: ['local', 'national'], countries: null } }, mon10);
      assert.equal(byGroup?.rule, 'class');
      assert.match(byGroup?.limit ?? '', /group carrier allow: local, national/);
    });

    it('abroad: international must be allowed, then the country, by the token and by the group', () => {
      assert.equal(decideStatic(dest('international', '86', true), rule({ allow: ['national'] }), 'token crm', group, mon10)?.rule, 'class');
      assert.equal(decideStatic(dest('premium', '44', true), rule({ allow: ['international'] }), 'token crm', group, mon10)?.rule, 'class', 'premium abroad needs premium too');
      const country = decideStatic(dest('international', '44', true), rule({ countries: ['86'] }), 'token crm', group, mon10);
      assert.deepEqual(country && { rule: country.rule, limit: country.limit }, { rule: 'country', limit: 'countries: +86' });
      assert.equal(decideStatic(dest('international', '86', true), rule({ countries: ['86'] }), 'token crm', { name: 'carrier', guard: { allow: null, countries: ['49'] } }, mon10)?.rule, 'country');
      assert.equal(decideStatic(dest('national'), rule({ countries: [] }), 'token crm', group, mon10), null, 'countries limit calls abroad only');
    });

    it('off-hours: outside the open window only its classes', () => {
      const off = { from: 480, to: 1200, days: [1, 2, 3, 4, 5], allow: ['local' as const] };
      assert.equal(decideStatic(dest('mobile'), rule({ offHours: off }), 'token crm', group, mon10), null);
      const r = decideStatic(dest('mobile'), rule({ offHours: off }), 'token crm', group, sat10);
      assert.deepEqual(r && { rule: r.rule, limit: r.limit }, { rule: 'off-hours', limit: 'offHours 08:00-20:00 allow: local' });
      assert.equal(decideStatic(dest('local'), rule({ offHours: off }), 'token crm', group, sat10), null);
    });

    it('an open window past midnight belongs to the day it starts on', () => {
      const night = { from: 1320, to: 360, days: [5], allow: [] };
      assert.ok(isOpen(night, { day: 5, minutes: 1380, date: '' }), 'Friday 23:00');
      assert.ok(isOpen(night, { day: 6, minutes: 120, date: '' }), 'Saturday 02:00');
      assert.ok(!isOpen(night, { day: 6, minutes: 1380, date: '' }), 'Saturday 23:00');
      assert.ok(!isOpen(night, { day: 5, minutes: 120, date: '' }), 'Friday 02:00');
    });
  });

  describe('the origin an originate carries', () => {
    it('is checked with the request: via one of the known ways in, a token name', () => {
      const site = valid(e1Site('{ port: 1, line: E1, signalling: pri_cpe, switchtype: euroisdn, group: carrier }')).site;
      assert.deepEqual(checkRequest({ group: 'carrier', number: '+4930555', origin: { via: 'api', token: 'crm' } }, site).origin, { via: 'api', token: 'crm' });
      assert.equal(checkRequest({ group: 'carrier', number: '+4930555' }, site).origin, null);
      const refusedAs = (origin: unknown, field: string, message: RegExp) => assert.throws(() => checkRequest({ group: 'carrier', number: '+4930555', origin }, site),
        (e: unknown) => isOutboundError(e, 'INVALID_REQUEST') && e.field === field && message.test(e.message));
      refusedAs({ via: 'web' }, 'origin.via', /is not allowed; expected one of api, job, campaign, cli, demo/);
      refusedAs({ via: 'api', token: 'a b' }, 'origin.token', /a token name/);
      refusedAs({ via: 'api', user: 'x' }, 'origin.user', /allowed: via, token/);
    });

    it('a campaign number is dialled for the token that loaded the campaign', () => {
      const job = callJobOf({ campaignId: 'winter', group: 'carrier', number: '+4930555', attempts: 1, line: 2, data: {}, token: 'crm' });
      assert.deepEqual(job.request.origin, { via: 'campaign', token: 'crm' });
      assert.equal(callJobOf({ campaignId: 'winter', group: 'carrier', number: '+4930555', attempts: 1, line: 2, data: {} }).request.origin, undefined);
    });
  });
});
