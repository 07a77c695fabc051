// What a CRM receives for one call event - or the toll-fraud guard's alert: a JSON body built
// once when the event is queued (so every try of it, and every receiver, gets the same bytes)
// and a delivery id that stays the same across tries and replays. Pure.

import type { CallEvent } from '../supervisor/calls/call-events';
import type { GuardAlert } from '../supervisor/toll-guard/toll-guard';
import { FRAUD_ALERT, type WebhookEventKind } from '../supervisor/webhook-endpoints';

/** A queued delivery: what the worker signs and posts. */
export interface WebhookJobData {
  event: WebhookEventKind;
  deliveryId: string;
  body: string;
  /** The event's time (ms since the epoch): the bench measures event -> POST from it. */
  at: number;
}

export interface WebhookBody {
  id: string;
  event: CallEvent['kind'];
  /** ISO 8601, Asterisk's time of the ring (channel creation), answer or hang-up. */
  at: string;
  call: {
    id: string;
    channelId: string;
    direction: 'inbound' | 'outbound';
    span: number | null;
    timeslot: number | null;
    group: string;
    caller: string;
    called: string;
    route: string;
    target: string;
    /** The outbound job's reference, null for inbound calls. */
    jobReference: string | null;
  };
  /** Hang-up only. */
  end: { cause: number | null; disposition: string; billsec: number } | null;
}

/** One per channel and kind: a replayed or re-queued event keeps it. */
export function deliveryId(e: Pick<CallEvent, 'channelId' | 'kind'>): string {
  // BullMQ takes it as the job id, and a ':' there would be read as a key separator.
  return `${e.channelId.replaceAll(':', '_')}.${e.kind}`;
}

export function webhookBody(e: CallEvent): WebhookBody {
  return {
    id: deliveryId(e),
    event: e.kind,
    at: e.at.toISOString(),
    call: {
      id: e.callId, channelId: e.channelId, direction: e.direction, span: e.span, timeslot: e.timeslot, group: e.group,
      caller: e.caller, called: e.called, route: e.route, target: e.target, jobReference: e.reference === '' ? null : e.reference,
    },
    end: e.end,
  };
}

export function webhookJob(e: CallEvent): WebhookJobData {
  const id = deliveryId(e);
  return { event: e.kind, deliveryId: id, body: JSON.stringify(webhookBody(e)), at: e.at.getTime() };
}

/** A fraud alert's body: which cap, its limit, the token (suspended or not) and why. */
export interface FraudAlertBody {
  id: string;
  event: typeof FRAUD_ALERT;
  at: string;
  alert: { rule: string; limit: string; token: string | null; subject: string; suspended: boolean; message: string };
}

export function alertJob(a: GuardAlert): WebhookJobData {
  // One per subject, rule and moment: two boxes alerting on one cap send two (each is true).
  const id = `fraud.${a.subject}.${a.rule}.${a.at.getTime()}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const body: FraudAlertBody = {
    id, event: FRAUD_ALERT, at: a.at.toISOString(),
    alert: { rule: a.rule, limit: a.limit, token: a.token, subject: a.subject, suspended: a.suspended, message: a.message },
  };
  return { event: FRAUD_ALERT, deliveryId: id, body: JSON.stringify(body), at: a.at.getTime() };
}
