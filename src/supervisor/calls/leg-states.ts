// A call leg's life as data: who is handling the channel now, and what may move it on. The
// table is checked when the engine is made (CallLegs refuses a bad one), and every transition
// of every leg goes through it, so an event that makes no sense for a leg is logged and
// ignored instead of silently bending a flag. Answering is not a state here: a leg is answered
// in the dialplan or in Stasis alike, and the time of it is a fact of the leg.

import { tableProblems, type StateTableSpec, type Transition } from '../state-table';

export const LEG_STATES = [
  /** Outbound: the originate is sent, the far end not answered yet (Asterisk is dialling). */
  'dialing',
  /** In our Stasis app, our decision in progress (inbound routing; an answered outbound call). */
  'deciding',
  /** In our Stasis app, the decision could not be sent (ARI away): reconciliation tries again. */
  'pending',
  /** Sent on to the dialplan (or found there by reconciliation): Asterisk handles it. */
  'continued',
  /** Answered outbound notification kept in our Stasis app: its prompt plays, a digit may confirm, we hang up. */
  'prompting',
  /** We hung it up with a cause (blacklist, no channel): waiting for its end. */
  'rejecting',
  /** Nobody wants it (its request was given up, or it was left by an earlier run): being hung up. */
  'orphaned',
  'ended',
] as const;
export type LegState = (typeof LEG_STATES)[number];

export const LEG_EVENTS = ['enter-stasis', 'ari-away', 'retry', 'continue', 'prompt', 'reject', 'orphan', 'end'] as const;
export type LegEvent = (typeof LEG_EVENTS)[number];

/** Where a leg starts: an inbound offer decides, an outbound attempt dials, reconciliation adopts. */
export const LEG_INITIAL_STATES: readonly LegState[] = ['deciding', 'dialing', 'continued', 'orphaned'];

const ENDS: Transition<LegState, LegEvent>[] = LEG_STATES.filter((s) => s !== 'ended').map((from) => ({ from, event: 'end', to: 'ended' }));

export const LEG_TRANSITIONS: readonly Transition<LegState, LegEvent>[] = [
  // An originated channel is answered and enters our app: we send it to its target.
  { from: 'dialing', event: 'enter-stasis', to: 'deciding' },
  { from: 'deciding', event: 'ari-away', to: 'pending' },
  { from: 'pending', event: 'retry', to: 'deciding' },
  { from: 'deciding', event: 'continue', to: 'continued' },
  // A notification is not sent anywhere: it stays in our app until its prompt is over.
  { from: 'deciding', event: 'prompt', to: 'prompting' },
  { from: 'deciding', event: 'reject', to: 'rejecting' },
  { from: 'pending', event: 'reject', to: 'rejecting' },
  { from: 'dialing', event: 'orphan', to: 'orphaned' },
  { from: 'deciding', event: 'orphan', to: 'orphaned' },
  { from: 'pending', event: 'orphan', to: 'orphaned' },
  // However it got there, every leg ends when its channel is gone.
  ...ENDS,
];

export const LEG_TABLE: StateTableSpec<LegState, LegEvent> = {
  states: LEG_STATES,
  events: LEG_EVENTS,
  table: LEG_TRANSITIONS,
  initial: LEG_INITIAL_STATES,
  terminal: 'ended',
};

/** The table's problems (empty when sound); CallLegs refuses to start on any. */
export function legTableProblems(spec: StateTableSpec<LegState, LegEvent> = LEG_TABLE): string[] {
  return tableProblems(spec);
}
