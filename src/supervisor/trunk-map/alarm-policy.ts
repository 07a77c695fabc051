// When a span's alarms block and unblock its channels: pure rules over one span's alarm record.
// Block at once on any line alarm; unblock only when the span shows no line alarm AND a
// hold-down has passed since the alarm last cleared. The hold-down doubles with every flap
// (a new alarm within the flap window) up to a cap, so a loose connector does not make calls
// land on a line that is about to drop again.

import { ALARM_BITS, alarmNames, SERVICE_AFFECTING_ALARMS, type AlarmName } from '../../hardware/dahdi-constants';

/** Line alarms, plus NOTOPEN: a span configured but not opened carries no calls either. */
export const BLOCKING_ALARMS: readonly AlarmName[] = [...SERVICE_AFFECTING_ALARMS, 'NOTOPEN'];
const BLOCKING_BITS = BLOCKING_ALARMS.reduce((bits, name) => bits | ALARM_BITS[name], 0);

export interface AlarmPolicy {
  /** Hold-down after the first alarm clears; DAHDI's own RECOVER interval is 2500 ms. */
  holdDownMs: number;
  /** Cap of the growing hold-down of a flapping span. */
  maxHoldDownMs: number;
  /** A new alarm within this long of the last unblock counts as a flap, not a fresh outage. */
  flapWindowMs: number;
}

export const DEFAULT_ALARM_POLICY: AlarmPolicy = { holdDownMs: 2500, maxHoldDownMs: 60_000, flapWindowMs: 60_000 };

export interface SpanAlarmRecord {
  /** Raw DAHDI alarm bits last seen. */
  readonly alarms: number;
  /** The span is gone from the hardware (span-removed, or missing at start). */
  readonly missing: boolean;
  /** The span counts as in alarm: a line alarm, missing, or the hold-down after one. */
  readonly inAlarm: boolean;
  /** When the blocking condition last ended (null while it lasts or before any alarm). */
  readonly clearedAt: number | null;
  readonly unblockedAt: number | null;
  /** Alarms in the current episode: 1 for a clean outage, more for a flapping span. */
  readonly flaps: number;
  /** The hold-down that applies to the pending unblock. */
  readonly holdDownMs: number;
}

export const CLEAN_RECORD: SpanAlarmRecord = { alarms: 0, missing: false, inAlarm: false, clearedAt: null, unblockedAt: null, flaps: 0, holdDownMs: 0 };

export function isBlocking(alarms: number, missing: boolean): boolean {
  return missing || (alarms & BLOCKING_BITS) !== 0;
}

/** The alarms a technician should read as the reason the span is in alarm. */
export function alarmReason(record: SpanAlarmRecord): string[] {
  if (record.missing) return ['span missing'];
  const names = alarmNames(record.alarms & BLOCKING_BITS);
  return names.length > 0 ? names : ['hold-down'];
}

/** A new alarm reading (or presence change) at `at`. O(1); no timers: the caller asks unblockAt(). */
export function observe(record: SpanAlarmRecord, alarms: number, missing: boolean, at: number, policy: AlarmPolicy): SpanAlarmRecord {
  const was = isBlocking(record.alarms, record.missing);
  const now = isBlocking(alarms, missing);
  if (was === now) return { ...record, alarms, missing };
  if (now) {
    // Back in alarm before the hold-down ended, or soon after the last unblock: a flap.
    const flapping = record.inAlarm || (record.unblockedAt !== null && at - record.unblockedAt < policy.flapWindowMs);
    return { ...record, alarms, missing, inAlarm: true, clearedAt: null, flaps: flapping ? record.flaps + 1 : 1 };
  }
  const holdDownMs = Math.min(policy.maxHoldDownMs, policy.holdDownMs * 2 ** Math.max(0, Math.min(record.flaps - 1, 30)));
  return { ...record, alarms, missing, clearedAt: at, holdDownMs };
}

/** When the span may be unblocked, or null when it is not blocked or still in alarm. */
export function unblockAt(record: SpanAlarmRecord): number | null {
  if (!record.inAlarm || record.clearedAt === null) return null;
  return record.clearedAt + record.holdDownMs;
}

/** Unblocks when the hold-down has passed by `now`; returns the record unchanged otherwise. */
export function settle(record: SpanAlarmRecord, now: number): SpanAlarmRecord {
  const due = unblockAt(record);
  if (due === null || now < due) return record;
  return { ...record, inAlarm: false, unblockedAt: now };
}

/**
 * The record for a span first seen at `now`. A span already in RECOVER was in alarm moments
 * ago (the supervisor restarted mid-outage): it waits out a hold-down before carrying calls.
 */
export function initialRecord(alarms: number, missing: boolean, now: number, policy: AlarmPolicy): SpanAlarmRecord {
  if (isBlocking(alarms, missing)) return observe(CLEAN_RECORD, alarms, missing, now, policy);
  if ((alarms & ALARM_BITS.RECOVER) !== 0) return { ...CLEAN_RECORD, alarms, inAlarm: true, clearedAt: now, flaps: 1, holdDownMs: policy.holdDownMs };
  return { ...CLEAN_RECORD, alarms };
}
