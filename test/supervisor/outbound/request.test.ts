// The outbound request check: every field refused with its name and what is allowed, defaults
// filled from the site (targets, the default dialplan place), nothing else accepted; a
// notification's prompt (media URIs, confirm digits/timeout/repeat), never with a target.

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

  const refusedField = (req: unknown, field: string, message: RegExp): void =>
    assert.throws(() => checkRequest(req, site), (err: unknown) => isOutboundError(err, 'INVALID_REQUEST') && err.field === field && message.test(err.message));
  const prompted = (prompt: unknown): unknown => ({ group: 1, number: '+4930555', prompt });

  it('a notification: the prompt checked and kept, no target; confirm repeat defaults to 0', () => {
    const r = checkRequest(prompted({ media: ['sound:custom/appointment-reminder', 'digits:1', 'number:14', 'recording:msg-7'], confirm: { digits: '12', timeoutSeconds: 8 } }), site);
    assert.equal(r.target, null);
    assert.deepEqual(r.prompt, { media: ['sound:custom/appointment-reminder', 'digits:1', 'number:14', 'recording:msg-7'], confirm: { digits: '12', timeoutSeconds: 8, repeat: 0 } });
    assert.deepEqual(checkRequest(prompted({ media: ['sound:outage'] }), site).prompt, { media: ['sound:outage'], confirm: null });
    assert.equal(checkRequest({ group: 1, number: '+4930555' }, site).prompt, null);
  });

  it('refuses a bad prompt naming the field, and a prompt beside a target', () => {
    refusedField({ group: 1, number: '+4930555', target: 'agents', prompt: { media: ['sound:x'] } }, 'prompt', /^prompt: .* cannot be given with target/);
    refusedField(prompted('sound:x'), 'prompt', /^prompt: "sound:x" is not \{ media/);
    refusedField(prompted({ media: [] }), 'prompt.media', /prompt\.media: \[\] is not a list of 1 to 10 media URIs/);
    refusedField(prompted({ media: Array(11).fill('sound:x') }), 'prompt.media', /1 to 10/);
    refusedField(prompted({ media: ['sound:ok', 'file:/etc/passwd'] }), 'prompt.media[1]', /prompt\.media\[1\]: "file:\/etc\/passwd" is not an ARI media URI: sound:<name>/);
    refusedField(prompted({ media: ['sound:../../etc/passwd'] }), 'prompt.media[0]', /is not an ARI media URI/);
    refusedField(prompted({ media: ['digits:12a'] }), 'prompt.media[0]', /is not an ARI media URI/);
    refusedField(prompted({ media: ['sound:x'], volume: 3 }), 'prompt.volume', /is not a prompt field; allowed: media, confirm/);
    refusedField(prompted({ media: ['sound:x'], confirm: { digits: '', timeoutSeconds: 5 } }), 'prompt.confirm.digits', /DTMF keys/);
    refusedField(prompted({ media: ['sound:x'], confirm: { digits: 'x', timeoutSeconds: 5 } }), 'prompt.confirm.digits', /DTMF keys/);
    refusedField(prompted({ media: ['sound:x'], confirm: { digits: '1' } }), 'prompt.confirm.timeoutSeconds', /^prompt\.confirm\.timeoutSeconds is not a whole number from 1 to 60$/);
    refusedField(prompted({ media: ['sound:x'], confirm: { digits: '1', timeoutSeconds: 61 } }), 'prompt.confirm.timeoutSeconds', /from 1 to 60/);
    refusedField(prompted({ media: ['sound:x'], confirm: { digits: '1', timeoutSeconds: 5, repeat: 6 } }), 'prompt.confirm.repeat', /from 0 to 5/);
    refusedField(prompted({ media: ['sound:x'], confirm: { digits: '1', timeoutSeconds: 5, tries: 2 } }), 'prompt.confirm.tries', /allowed: digits, timeoutSeconds, repeat/);
  });
});
