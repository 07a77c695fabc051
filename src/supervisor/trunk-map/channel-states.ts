// The channel state machine as data: states, events and the {from, event, to} table, its
// start-up check (the shared state-table.ts, refusals as TrunkMapError) and the pure step.
// Span conditions (alarm, maintenance) reach channels as events decided by the span, so the
// table stays per channel and the span precedence lives in one place (trunk-map.ts).

import { indexTable, step, tableProblems, type Transition as TableRow, type TransitionIndex as TableIndex } from '../state-table';
import { TrunkMapError } from './errors';

export const CHANNEL_STATES = ['idle', 'ringing', 'in-call', 'blocked-alarm', 'maintenance'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

export const CHANNEL_EVENTS = ['offer', 'dial', 'answer', 'hangup', 'alarm', 'recover', 'maint-on', 'maint-off'] as const;
export type ChannelEvent = (typeof CHANNEL_EVENTS)[number];

export type Transition = TableRow<ChannelState, ChannelEvent>;

/** States in which a call occupies the channel: an alarm or a loop there interrupts it. */
export const CALL_STATES: readonly ChannelState[] = ['ringing', 'in-call'];

export const INITIAL_STATE: ChannelState = 'idle';

export const TRANSITIONS: readonly Transition[] = [
  // Calls: offer = inbound call presented, dial = we seize it for an outbound call.
  { from: 'idle', event: 'offer', to: 'ringing' },
  { from: 'idle', event: 'dial', to: 'ringing' },
  { from: 'ringing', event: 'answer', to: 'in-call' },
  { from: 'ringing', event: 'hangup', to: 'idle' },
  { from: 'in-call', event: 'hangup', to: 'idle' },
  // A span alarm takes every channel out of service, calls included (they are reported).
  { from: 'idle', event: 'alarm', to: 'blocked-alarm' },
  { from: 'ringing', event: 'alarm', to: 'blocked-alarm' },
  { from: 'in-call', event: 'alarm', to: 'blocked-alarm' },
  { from: 'blocked-alarm', event: 'recover', to: 'idle' },
  // Asterisk's hangup of an interrupted call arrives after the block: nothing changes.
  { from: 'blocked-alarm', event: 'hangup', to: 'blocked-alarm' },
  // Maintenance (a loop running) wins over an alarm; when it ends on a span still in alarm,
  // the span sends 'alarm' and the channel goes straight to blocked-alarm, never idle.
  { from: 'idle', event: 'maint-on', to: 'maintenance' },
  { from: 'ringing', event: 'maint-on', to: 'maintenance' },
  { from: 'in-call', event: 'maint-on', to: 'maintenance' },
  { from: 'blocked-alarm', event: 'maint-on', to: 'maintenance' },
  { from: 'maintenance', event: 'maint-off', to: 'idle' },
  { from: 'maintenance', event: 'alarm', to: 'blocked-alarm' },
  { from: 'maintenance', event: 'hangup', to: 'maintenance' },
];

/** Lookup built once from a checked table: `${from}/${event}` -> to. */
export type TransitionIndex = TableIndex<ChannelState>;

/**
 * Checks a table before anything runs on it and returns its index. Refuses unknown state or
 * event names, a (from, event) pair given twice, and states the initial state cannot reach.
 */
export function checkTransitionTable(table: readonly Transition[], initial: ChannelState = INITIAL_STATE): TransitionIndex {
  const problems = tableProblems({ states: CHANNEL_STATES, events: CHANNEL_EVENTS, table, initial: [initial] });
  if (problems.length > 0) throw new TrunkMapError('BAD_TRANSITION_TABLE', `transition table refused: ${problems.join('; ')}`);
  return indexTable(table);
}

/** The next state, or null when the table has no row for it (the caller refuses the event). */
export function nextState(index: TransitionIndex, from: ChannelState, event: ChannelEvent): ChannelState | null {
  return step(index, from, event);
}
