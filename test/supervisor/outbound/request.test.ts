// The outbound request check: every field refused with its name and what is allowed, defaults
// filled from the site (targets, the default dialplan place), nothing else accepted.

import assert from 'node:assert/strict';
import { parseSite } from '../../../src/provisioning/site/load';
import { isOutboundError } from '../../../src/supervisor/outbound/errors';
import { checkRequest, DEFAULT_OUTBOUND_PLACE } from '../../../src/supervisor/outbound/request';

const { site } = parseSite(`site: t
toneZone: de
cards:
  - location: PCI_Bus_03_Slot_01
    spans:
      - { line: E1, signalling: pri_cpe, group: carrier }
      - { line: E1, signalling: pri_cpe, group: incoming }
groups:
  - { number: 1, name: carrier, context: from-carrier }
  - { number: 2, name: incoming, context: from-in, direction: in }
routing:
  targets:
    - { name: agents, context: cc-agents, extension: "{did}" }
  default: agents
`, 'site.yaml');

const refused = (req: unknown, code: string, message: RegExp): void =>
  assert.throws(() => checkRequest(req, site), (err: unknown) => isOutboundError(err) && err.code === code && message.test(err.message));

describe('outbound request check', () => {
  it('fills defaults: no target -> tdmgate-outbound,s,1; group by number or name', () => {
    const r = checkRequest({ group: 1, number: '+4930555' }, site);
    assert.equal(r.group.name, 'carrier');
    assert.deepEqual(r.target, DEFAULT_OUTBOUND_PLACE);
    assert.deepEqual([r.callerId, r.timeoutSeconds, r.retriesUsed, r.accountcode, r.reference], [null, null, 0, '', '']);
    const named = checkRequest({ group: 'carrier', number: '+4930555', target: 'agents', callerId: '+4969000', timeoutSeconds: 30 }, site);
    assert.deepEqual(named.target, { context: 'cc-agents', extension: '{did}', priority: 1, name: 'agents' });
    assert.deepEqual([named.callerId, named.timeoutSeconds], ['+4969000', 30]);
    const place = checkRequest({ group: 'carrier', number: '+4930555', target: { context: 'campaign-7' } }, site);
    assert.deepEqual(place.target, { context: 'campaign-7', extension: 's', priority: 1, name: '' });
  });

  it('refuses each bad field by name', () => {
    refused(null, 'INVALID_REQUEST', /^request: null is not an object/);
    refused({ group: 'carrier', number: 4930555 }, 'INVALID_NUMBER', /4930555 is not a text/);
    refused({ group: 'carrier' }, 'INVALID_NUMBER', /^number is not a text/);
    refused({ group: 2, number: '+4930555' }, 'GROUP_NOT_OUTBOUND', /group: 2 takes inbound calls only/);
    refused({ group: 7, number: '+4930555' }, 'UNKNOWN_GROUP', /group: 7 .*groups: carrier \(1\), incoming \(2\)/);
    refused({ group: 1, number: '+4930555', target: { extension: 's' } }, 'INVALID_REQUEST', /^target\.context is required$/);
    refused({ group: 1, number: '+4930555', target: { context: 'a b' } }, 'INVALID_REQUEST', /target\.context: "a b" is not allowed; expected a dialplan context name/);
    refused({ group: 1, number: '+4930555', target: 42 }, 'INVALID_REQUEST', /target: 42 is neither/);
    refused({ group: 1, number: '+4930555', timeoutSeconds: 30.5 }, 'INVALID_REQUEST', /timeoutSeconds: 30.5 is not a whole number from 5 to 300/);
    refused({ group: 1, number: '+4930555', retriesUsed: -1 }, 'INVALID_REQUEST', /retriesUsed/);
    refused({ group: 1, number: '+4930555', accountcode: 'x'.repeat(81) }, 'INVALID_REQUEST', /accountcode: .* at most 80/);
    refused({ group: 1, number: '+4930555', variables: { '1X': 'a' } }, 'INVALID_REQUEST', /variables\.1X: "1X" is not a variable name/);
    refused({ group: 1, number: '+4930555', variables: { X: 5 } }, 'INVALID_REQUEST', /variables\.X: 5 is not a text/);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`V${i}`, 'x']));
    refused({ group: 1, number: '+4930555', variables: many }, 'INVALID_REQUEST', /variables: "33 variables" is too many; at most 32/);
  });
});
