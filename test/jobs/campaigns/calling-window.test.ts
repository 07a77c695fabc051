// The calling window against a fake clock: the exact edges (open at 09:00:00.000, closed at
// 20:00:00.000 local), a window past midnight that opens on the named weekdays only, the two
// daylight-saving changes in Europe/Berlin (the instants move, the local edges do not), a zone
// without one (Asia/Shanghai), and windows that never open refused at load.

import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/clock';
import { isOpen, nextChange, parseWindow, windowClock } from '../../../src/jobs/campaigns/calling-window';
import { isJobError } from '../../../src/jobs/job-errors';

const utc = (iso: string): number => Date.parse(iso);
const MS = 1;

describe('campaign calling window', () => {
  it('Asia/Shanghai (UTC+8, no DST): closed a millisecond before 09:00, open at 09:00, open just before 20:00, closed at 20:00', () => {
    const w = parseWindow('09:00-20:00', undefined, 'Asia/Shanghai');
    const open = utc('2026-12-07T01:00:00Z');
    const close = utc('2026-12-07T12:00:00Z');
    assert.equal(isOpen(w, open - MS), false);
    assert.equal(isOpen(w, open), true);
    assert.equal(isOpen(w, close - MS), true);
    assert.equal(isOpen(w, close), false);
    assert.deepEqual(nextChange(w, open - MS), { at: new Date(open), opens: true });
    assert.deepEqual(nextChange(w, open), { at: new Date(close), opens: false });
    assert.deepEqual(nextChange(w, close), { at: new Date(utc('2026-12-08T01:00:00Z')), opens: true });
  });

  it('a fake clock walked edge to edge over a week sees every open and close in order, 09:00 and 20:00 local each day (Shanghai)', () => {
    const w = windowClock(parseWindow('09:00-20:00', 'mon-fri', 'Asia/Shanghai'));
    const clock = new ManualClock(utc('2026-12-05T16:00:00Z')); // Sunday 00:00 local
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const change = w.nextChange(clock.now());
      assert.ok(change);
      assert.equal(w.isOpen(clock.now()), !change.opens, 'the state before an edge is the opposite of the edge');
      clock.advance(change.at.getTime() - clock.now());
      assert.equal(w.isOpen(clock.now()), change.opens, 'the state after the edge is what it announced');
      seen.push(`${change.opens ? 'open' : 'close'} ${new Date(clock.now()).toISOString()}`);
    }
    assert.deepEqual(seen, [
      'open 2026-12-07T01:00:00.000Z', 'close 2026-12-07T12:00:00.000Z', // Monday
      'open 2026-12-08T01:00:00.000Z', 'close 2026-12-08T12:00:00.000Z',
      'open 2026-12-09T01:00:00.000Z', 'close 2026-12-09T12:00:00.000Z',
      'open 2026-12-10T01:00:00.000Z', 'close 2026-12-10T12:00:00.000Z',
      'open 2026-12-11T01:00:00.000Z', 'close 2026-12-11T12:00:00.000Z', // Friday; then Monday again
    ]);
    assert.deepEqual(w.nextChange(clock.now())?.at.toISOString(), '2026-12-14T01:00:00.000Z');
  });

  it('past midnight: 22:00-06:00 on Fridays is open Friday night into Saturday morning, not Saturday night', () => {
    const w = parseWindow('22:00-06:00', 'fri', 'Asia/Shanghai');
    // Friday 2026-12-11 22:00 local = 14:00Z; Saturday 06:00 local = Friday 22:00Z.
    assert.equal(isOpen(w, utc('2026-12-11T13:59:59.999Z')), false);
    assert.equal(isOpen(w, utc('2026-12-11T14:00:00Z')), true);
    assert.equal(isOpen(w, utc('2026-12-11T19:00:00Z')), true, 'Saturday 03:00 local');
    assert.equal(isOpen(w, utc('2026-12-11T22:00:00Z')), false, 'Saturday 06:00 local');
    assert.equal(isOpen(w, utc('2026-12-12T15:00:00Z')), false, 'Saturday 23:00 local: Saturday is not a start day');
    assert.deepEqual(nextChange(w, utc('2026-12-11T19:00:00Z')), { at: new Date(utc('2026-12-11T22:00:00Z')), opens: false });
    assert.deepEqual(nextChange(w, utc('2026-12-11T22:00:00Z')), { at: new Date(utc('2026-12-18T14:00:00Z')), opens: true });
  });

  it('Europe/Berlin spring change (29 March 2026): 09:00 local is 08:00Z the day before and 07:00Z that day', () => {
    const w = parseWindow('09:00-20:00', undefined, 'Europe/Berlin');
    assert.deepEqual(nextChange(w, utc('2026-03-28T00:00:00Z')), { at: new Date(utc('2026-03-28T08:00:00Z')), opens: true });
    assert.deepEqual(nextChange(w, utc('2026-03-28T19:00:00Z')), { at: new Date(utc('2026-03-29T07:00:00Z')), opens: true }, 'the night the clocks jump is one hour shorter');
    assert.equal(isOpen(w, utc('2026-03-29T07:30:00Z')), true);
    assert.equal(isOpen(w, utc('2026-03-29T18:00:00Z')), false, '20:00 CEST');
    // A window opening inside the skipped hour opens when the clock jumps past it (03:00 CEST = 01:00Z).
    const night = parseWindow('02:30-05:00', 'sun', 'Europe/Berlin');
    assert.deepEqual(nextChange(night, utc('2026-03-28T12:00:00Z')), { at: new Date(utc('2026-03-29T01:00:00Z')), opens: true });
    assert.equal(isOpen(night, utc('2026-03-29T00:59:59.999Z')), false);
    // A window wholly inside the skipped hour is empty that night only.
    const gap = parseWindow('02:00-02:45', 'sun', 'Europe/Berlin');
    assert.equal(nextChange(gap, utc('2026-03-28T12:00:00Z'))?.at.toISOString(), '2026-04-05T00:00:00.000Z');
  });

  it('Europe/Berlin autumn change (25 October 2026): the repeated hour is inside an 01:00-05:00 window once, which lasts 5 hours', () => {
    const w = parseWindow('01:00-05:00', 'sun', 'Europe/Berlin');
    const open = nextChange(w, utc('2026-10-24T12:00:00Z'));
    assert.deepEqual(open, { at: new Date(utc('2026-10-24T23:00:00Z')), opens: true }, '01:00 CEST');
    const close = nextChange(w, utc('2026-10-24T23:00:00Z'));
    assert.deepEqual(close, { at: new Date(utc('2026-10-25T04:00:00Z')), opens: false }, '05:00 CET');
    assert.equal(isOpen(w, utc('2026-10-25T01:30:00Z')), true, 'the second 02:30');
    assert.equal(nextChange(parseWindow('09:00-20:00', undefined, 'Europe/Berlin'), utc('2026-10-25T00:00:00Z'))?.at.toISOString(), '2026-10-25T08:00:00.000Z');
  });

  it('00:00-24:00 every day never changes; 20:00-00:00 is 20:00 to midnight', () => {
    const always = parseWindow('00:00-24:00', undefined, 'Europe/Berlin');
    assert.equal(isOpen(always, utc('2026-03-29T01:30:00Z')), true);
    assert.equal(nextChange(always, utc('2026-03-29T01:30:00Z')), null);
    const evening = parseWindow('20:00-00:00', undefined, 'Asia/Shanghai');
    assert.equal(isOpen(evening, utc('2026-12-07T15:59:59Z')), true);
    assert.equal(isOpen(evening, utc('2026-12-07T16:00:00Z')), false);
  });

  it('refuses windows that never open or cannot be read, naming the field', () => {
    for (const [text, days, field, message] of [
      ['09:00-09:00', undefined, 'window', /never opens: it closes when it opens; for the whole day write 00:00-24:00/],
      ['09:00-20:00', '', 'days', /names no day, so the window never opens/],
      ['9-20', undefined, 'window', /is not a window; write HH:MM-HH:MM/],
      ['09:00-25:00', undefined, 'window', /is not a window/],
      ['24:00-09:00', undefined, 'window', /is not a window/],
      ['09:00-20:00', 'mon-fir', 'days', /"fir" is not a day; one of sun, mon/],
    ] as const) {
      assert.throws(() => parseWindow(text, days, 'Asia/Shanghai'), (err: unknown) => isJobError(err, 'INVALID_JOB') && err.field === field && message.test(err.message), `${text} ${days}`);
    }
    assert.throws(() => parseWindow('09:00-20:00', undefined, 'Mars/Olympus'), (err: unknown) => isJobError(err, 'INVALID_JOB') && err.field === 'timezone');
  });
});
