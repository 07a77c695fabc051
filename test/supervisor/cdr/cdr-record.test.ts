// CdrRecord validation: a good record comes back complete with defaults; every kind of bad
// field is refused with CDR_INVALID naming that field.

import assert from 'node:assert/strict';
import { isCdrError } from '../../../src/supervisor/cdr/cdr-errors';
import { cdrRecordToJson, parseCdrRecord } from '../../../src/supervisor/cdr/cdr-record';
import { makeCdr } from './cdr-fixtures';

function rejects(input: unknown, field: string): void {
  assert.throws(() => parseCdrRecord(input), (err) => isCdrError(err, 'CDR_INVALID') && err.field === field, `expected ${field} to be refused`);
}

describe('CdrRecord validation', () => {
  it('fills Asterisk defaults for what the caller leaves out', () => {
    const r = parseCdrRecord({ calldate: '2025-11-24T09:00:00Z', uniqueid: 'u1', disposition: 'NO ANSWER', direction: 'outbound', duration: 30, billsec: 0 });
    assert.equal(r.clid, '');
    assert.equal(r.amaflags, 0);
    assert.equal(r.sequence, 0);
    assert.equal(r.span, null);
    assert.equal(r.answer_time, null);
    assert.equal(r.calldate.toISOString(), '2025-11-24T09:00:00.000Z');
  });

  it('round-trips through its JSON form (the spool line) unchanged', () => {
    const r = parseCdrRecord(makeCdr(7));
    assert.deepEqual(parseCdrRecord(JSON.parse(JSON.stringify(cdrRecordToJson(r)))), r);
  });

  it('refuses bad values naming the field', () => {
    rejects({ ...makeCdr(1), disposition: 'ANSWER' }, 'disposition');
    rejects({ ...makeCdr(1), direction: 'sideways' }, 'direction');
    rejects({ ...makeCdr(1), duration: -1 }, 'duration');
    rejects({ ...makeCdr(1), duration: 1.5 }, 'duration');
    rejects({ ...makeCdr(1), billsec: 61 }, 'billsec');
    rejects({ ...makeCdr(1), disposition: 'BUSY', answer_time: null }, 'billsec');
    rejects({ ...makeCdr(1), uniqueid: '' }, 'uniqueid');
    rejects({ ...makeCdr(1), uniqueid: 'x'.repeat(151) }, 'uniqueid');
    rejects({ ...makeCdr(1), uniqueid: undefined }, 'uniqueid');
    rejects({ ...makeCdr(1), src: 5551234 }, 'src');
    rejects({ ...makeCdr(1), dst: '1'.repeat(81) }, 'dst');
    rejects({ ...makeCdr(1), userfield: 'a\u0000b' }, 'userfield');
    rejects({ ...makeCdr(1), sequence: -2 }, 'sequence');
    rejects({ ...makeCdr(1), amaflags: 9 }, 'amaflags');
    rejects({ ...makeCdr(1), q850_cause: 300 }, 'q850_cause');
    rejects({ ...makeCdr(1), timeslot: 0 }, 'timeslot');
    rejects({ ...makeCdr(1), span: -1 }, 'span');
    rejects({ ...makeCdr(1), calldate: 'yesterday' }, 'calldate');
    rejects({ ...makeCdr(1), calldate: '2025-11-24 09:00:00' }, 'calldate');
    rejects({ ...makeCdr(1), calldate: new Date(Number.NaN) }, 'calldate');
    rejects({ ...makeCdr(1), end_time: new Date(0) }, 'end_time');
    rejects({ ...makeCdr(1), disposition: 'NO ANSWER', billsec: 0 }, 'answer_time');
    rejects({ ...makeCdr(1), trunkGroup: 'x' }, 'trunkGroup');
    rejects({ ...makeCdr(1), duration: 2 ** 31 }, 'duration');
    assert.throws(() => parseCdrRecord('not a record'), (err) => isCdrError(err, 'CDR_INVALID'));
    assert.throws(() => parseCdrRecord(null), (err) => isCdrError(err, 'CDR_INVALID'));
  });
});
