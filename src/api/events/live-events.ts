// What the live event stream carries, taken from the supervisor's own event sources: every
// channel state change and span availability change of the TrunkMap, the ring / answer /
// hang-up of every call, and each queued job dialled and settled. Each is copied into a small plain payload at once (the listeners run
// inside the call path and must not hold on to or throw into it) and appended to the journal.

import type { JobEvent } from '../../jobs/dispatch-types';
import type { CallEvent } from '../../supervisor/calls/call-events';
import type { SpanInService, SpanOutOfService, StateChanged } from '../../supervisor/trunk-map/events';
import type { EventJournal } from './event-journal';

/** `health`: a span's hardware alarms, clock, counter rates and D-channel, from the status board (web/). */
export const STREAM_EVENT_TYPES = ['channel', 'span', 'call', 'job', 'health'] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** The event sources, as the TrunkMap and the call-leg engine offer them. */
export interface LiveSources {
  trunkMap: {
    on(name: 'state-changed', listener: (e: StateChanged) => void): () => void;
    on(name: 'span-out-of-service', listener: (e: SpanOutOfService) => void): () => void;
    on(name: 'span-in-service', listener: (e: SpanInService) => void): () => void;
  };
  calls: { on(listener: (e: CallEvent) => void): () => void };
  /** The job queues' dispatcher; null when the queues are off. */
  jobs: { onJob(listener: (e: JobEvent) => void): () => void } | null;
}

/** Starts copying the sources' events into the journal; the function returned stops it. */
export function feedJournal(journal: EventJournal, sources: LiveSources): () => void {
  const stops = [
    sources.trunkMap.on('state-changed', (e) => journal.append('channel', {
      channel: e.channel, span: e.span, timeslot: e.timeslot, group: e.group, state: e.to, from: e.from, callRef: e.callRef, at: e.at,
    })),
    sources.trunkMap.on('span-out-of-service', (e) => journal.append('span', { span: e.span, state: e.state, reason: e.reason, flaps: e.flaps, at: e.at })),
    sources.trunkMap.on('span-in-service', (e) => journal.append('span', { span: e.span, state: 'in-service', reason: [], flaps: 0, at: e.at })),
    sources.calls.on((e) => journal.append('call', {
      kind: e.kind, callId: e.callId, channelId: e.channelId, direction: e.direction, span: e.span, timeslot: e.timeslot, group: e.group,
      caller: e.caller, called: e.called, route: e.route, target: e.target, at: e.at.getTime(), end: e.end,
    })),
  ];
  if (sources.jobs) stops.push(sources.jobs.onJob((e) => journal.append('job', e)));
  return () => stops.forEach((stop) => stop());
}
