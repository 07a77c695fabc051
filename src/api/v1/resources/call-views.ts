// Active calls as the API shows them: one entry per open call leg, with its call id (an
// outbound call's attempts share one), the Asterisk channel, numbers, direction, state, trunk
// position and how long it has lasted. Pure over the legs and the time.

import type { LegView } from '../../../supervisor/calls/call-legs';
import type { JsonSchema } from '../route-types';
import { NULLABLE_INTEGER, NULLABLE_STRING, shape } from './schemas';

export interface CallView {
  /** The leg's Asterisk channel id (its CDR's uniqueid). */
  id: string;
  /** The call's id (its CDRs' linkedid); DELETE /calls/{id} takes either. */
  callId: string;
  direction: 'inbound' | 'outbound';
  state: string;
  /** The Asterisk channel name (DAHDI/i1/..., DAHDI/3-1); '' until Asterisk told it. */
  asteriskChannel: string;
  span: number | null;
  timeslot: number | null;
  channel: number | null;
  group: string;
  caller: string;
  called: string;
  target: string;
  reference: string;
  startedAt: string;
  answeredAt: string | null;
  durationSeconds: number;
}

export const CALL_SCHEMA: JsonSchema = shape({
  id: { type: 'string' }, callId: { type: 'string' }, direction: { enum: ['inbound', 'outbound'] }, state: { type: 'string' },
  asteriskChannel: { type: 'string' }, span: NULLABLE_INTEGER, timeslot: NULLABLE_INTEGER, channel: NULLABLE_INTEGER, group: { type: 'string' },
  caller: { type: 'string' }, called: { type: 'string' }, target: { type: 'string' }, reference: { type: 'string' },
  startedAt: { type: 'string', format: 'date-time' }, answeredAt: NULLABLE_STRING, durationSeconds: { type: 'integer' },
});

export function callView({ leg, parties }: LegView, now: number): CallView {
  return {
    id: leg.id, callId: parties?.callId ?? leg.id, direction: leg.direction, state: leg.state, asteriskChannel: leg.name,
    span: leg.span, timeslot: leg.timeslot, channel: leg.channel, group: leg.groupName,
    caller: parties?.caller ?? '', called: parties?.called ?? '', target: parties?.target ?? '', reference: parties?.reference ?? '',
    startedAt: leg.createdAt.toISOString(), answeredAt: leg.answeredAt?.toISOString() ?? null,
    durationSeconds: Math.max(0, Math.floor((now - leg.createdAt.getTime()) / 1000)),
  };
}
