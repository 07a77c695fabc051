// The call-leg table is data checked before the engine runs: the shipped table is sound, and a
// table with a hole (a state that cannot end, one nothing reaches, a row given twice, an
// unknown name) is refused with the reason - so an edit that strands a leg fails here, not on a
// live call.

import assert from 'node:assert/strict';
import { LEG_EVENTS, LEG_INITIAL_STATES, LEG_STATES, LEG_TABLE, LEG_TRANSITIONS, legTableProblems } from '../../../src/supervisor/calls/leg-states';
import { CallLegs } from '../../../src/supervisor/calls/call-legs';

describe('call legs: the transition table', () => {
  it('the shipped table is sound: every state reachable, every one can end', () => {
    assert.deepEqual(legTableProblems(), []);
  });

  it('refuses a state that cannot end', () => {
    const table = LEG_TRANSITIONS.filter((t) => !(t.from === 'rejecting' && t.event === 'end'));
    assert.deepEqual(legTableProblems({ ...LEG_TABLE, table }), ['state "rejecting" cannot reach "ended"']);
  });

  it('refuses a state nothing reaches, a row given twice and unknown names', () => {
    const unreachable = LEG_TRANSITIONS.filter((t) => t.to !== 'pending');
    assert.ok(legTableProblems({ ...LEG_TABLE, table: unreachable }).some((p) => p.includes('"pending" cannot be reached')));
    const twice = [...LEG_TRANSITIONS, { from: 'dialing' as const, event: 'orphan' as const, to: 'ended' as const }];
    assert.ok(legTableProblems({ ...LEG_TABLE, table: twice }).some((p) => p.includes('dialing --orphan--> given twice')));
    const unknown = [...LEG_TRANSITIONS, { from: 'ringing' as never, event: 'answer' as never, to: 'ended' as const }];
    const problems = legTableProblems({ ...LEG_TABLE, table: unknown });
    assert.ok(problems.some((p) => p.includes('unknown state "ringing"')));
    assert.ok(problems.some((p) => p.includes('unknown event "answer"')));
  });

  it('every event and initial state of the table is one the engine knows', () => {
    for (const t of LEG_TRANSITIONS) assert.ok(LEG_EVENTS.includes(t.event) && LEG_STATES.includes(t.from));
    for (const s of LEG_INITIAL_STATES) assert.ok(LEG_STATES.includes(s));
  });

  it('the engine refuses an event the table has no row for, and counts it', () => {
    const logged: string[] = [];
    const log = { info: () => undefined, warn: (_o: object, m: string) => logged.push(m), error: () => undefined };
    const legs = new CallLegs({
      trunkMap: {} as never, site: { groups: [] } as never, cdr: { write: () => Promise.resolve() }, spanAlarms: () => Promise.resolve([]),
      hangup: () => Promise.resolve(), logger: log,
    });
    const leg = legs.open({ id: 'x', direction: 'outbound', name: '', createdAt: new Date(), data: {} }, 'dialing', { record: () => ({}) as never });
    assert.equal(legs.fire(leg, 'continue'), false);
    assert.equal(leg.state, 'dialing');
    assert.equal(legs.stats.refusedEvents, 1);
    assert.deepEqual(logged, ['call leg: event refused in this state']);
    assert.equal(legs.fire(leg, 'enter-stasis'), true);
    assert.equal(leg.state, 'deciding');
  });
});
