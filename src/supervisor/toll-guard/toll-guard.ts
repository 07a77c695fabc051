// The toll-fraud guard every originate passes (API, job, campaign, CLI, demo), after the request
// is checked and the number is in E.164 and before anything is dialled. In order: a suspended
// token; the destination's class and country against the token's rule and the trunk group's;
// the off-hours rule; then the caps, counted in the shared database - calls in the local hour,
// distinct numbers in the local day, international minutes in the local day (added when each
// answered call abroad ends). A refusal is a GuardError naming the rule and its limit, logged
// and emitted ('refused'); a cap that is hit also raises an alert ('alert', a warn line) and
// suspends the token through the TokenSuspension seam ('suspended'). Counting is done only for
// the caps a rule sets, so a site without caps never writes to the database here.

import { EventEmitter } from 'node:events';
import type { SiteConfig } from '../../provisioning/site/site-types';
import type { GuardUsageRepository } from '../../store/guard-usage-repository';
import type { E164Number } from '../numbering/numbering';
import type { Origin, OriginVia } from '../outbound/request';
import { localClock, type LocalMoment } from '../routing/local-time';
import type { TrunkMapLogger } from '../trunk-map';
import { compileClassifier, type Classifier, type Destination } from './classify';
import { decideStatic, type Refusal } from './decide';
import { CAP_RULES, GuardError, type GuardRuleName } from './guard-errors';
import { ruleFor, type GuardPolicy, type GuardRule } from './guard-policy';
import type { TokenSuspension } from './token-suspension';

/** What the outbound service asks about. */
export interface GuardedCall {
  number: E164Number;
  group: { name: string; number: number };
  origin: Origin | null;
}

/** Kept with an answered call abroad until it ends, to add its minutes. */
export interface GuardTicket {
  subject: string;
  token: string | null;
  day: string;
  /** The cap in minutes the minutes are counted for. */
  capMinutes: number;
}

/** What the outbound service needs of the guard. */
export interface OriginateGuard {
  /** Throws GuardError when refused; a ticket when the call's minutes must be counted at its end. */
  check(call: GuardedCall): Promise<GuardTicket | null>;
  /** An answered call with a ticket ended after `seconds` of talk. Never throws. */
  callEnded(ticket: GuardTicket, seconds: number): void;
}

export interface GuardRefusal {
  at: Date;
  rule: GuardRuleName;
  limit: string;
  message: string;
  token: string | null;
  via: OriginVia | null;
  number: string;
  class: Destination['class'];
  country: string;
  group: string;
}

/** A cap was hit: what a fraud alert tells (log line, metric, webhook). */
export interface GuardAlert {
  at: Date;
  rule: GuardRuleName;
  limit: string;
  token: string | null;
  /** The counters' name: the token, or (via) for calls without one. */
  subject: string;
  message: string;
  /** The token is suspended now (false: no token, or no token store to suspend it in). */
  suspended: boolean;
}

export interface TollGuardEvents {
  refused: [GuardRefusal];
  alert: [GuardAlert];
  suspended: [{ at: Date; token: string; reason: string }];
}

export interface TollGuardOptions {
  site: SiteConfig;
  policy: GuardPolicy;
  usage: GuardUsageRepository;
  /** The API's token store; null: caps refuse but nothing can be suspended (the log says so). */
  suspension: TokenSuspension | null;
  logger: TrunkMapLogger;
  /** Milliseconds since the epoch (src/clock.ts's Clock.now); tests move it. */
  now?: () => number;
}

const DAY_MS = 86_400_000;
/** Periods kept: today and two days before, so boxes on another zone never lose their today. */
const KEEP_DAYS = 2;

export class TollGuard extends EventEmitter<TollGuardEvents> implements OriginateGuard {
  private readonly classifier: Classifier;
  private readonly local: (at: Date) => LocalMoment;
  private readonly now: () => number;
  private readonly log: TrunkMapLogger;
  private prunedFor = '';

  constructor(private readonly o: TollGuardOptions) {
    super();
    this.classifier = compileClassifier(o.site.routing?.numbering ?? null);
    this.local = localClock(o.site.timezone);
    this.now = o.now ?? Date.now;
    this.log = o.logger;
  }

  async check(call: GuardedCall): Promise<GuardTicket | null> {
    const at = new Date(this.now());
    const token = call.origin?.token ?? null;
    const via = call.origin?.via ?? null;
    const who = token === null ? `calls without a token (${via ?? 'local'})` : `token ${token}`;
    const dest = this.classifier.classify(call.number);
    const refuse = (r: Refusal): Promise<never> => this.refuse(r, { at, token, via, dest, group: call.group.name });
    if (token !== null && this.o.suspension !== null && (await this.o.suspension.isSuspended(token))) {
      return refuse({ rule: 'suspended', limit: 'token suspended', problem: `token ${token} is suspended; an operator must lift it` });
    }
    const rule = ruleFor(this.o.policy, token);
    const moment = this.local(at);
    const settings = this.o.site.routing?.outbound.find((s) => s.group === call.group.number);
    const refusal = decideStatic(dest, rule, who, { name: call.group.name, guard: settings?.guard }, moment);
    if (refusal) return refuse(refusal);
    return this.caps(rule, dest, moment, { token, subject: token ?? `(${via ?? 'local'})`, who }, refuse);
  }

  callEnded(ticket: GuardTicket, seconds: number): void {
    if (seconds <= 0) return;
    const cap = ticket.capMinutes * 60;
    this.o.usage.add(ticket.subject, 'international-seconds', ticket.day, seconds).then(
      (total) => {
        // Only the call that took the day over the cap raises the alert.
        if (total > cap && total - seconds <= cap) {
          void this.capHit(new Date(this.now()), 'international-minutes', `${ticket.capMinutes} international minutes per day`, ticket.token, ticket.subject, `${who(ticket)} talked ${Math.ceil(total / 60)} international minutes today`);
        }
      },
      (err: unknown) => this.log.warn({ subject: ticket.subject, seconds, err: err instanceof Error ? err.message : String(err) }, 'toll guard: international minutes not counted'),
    );
  }

  private async caps(rule: GuardRule, dest: Destination, moment: LocalMoment, s: { token: string | null; subject: string; who: string }, refuse: (r: Refusal) => Promise<never>): Promise<GuardTicket | null> {
    const usage = this.o.usage;
    const day = moment.date;
    if (rule.callsPerHour !== null || rule.destinationsPerDay !== null || rule.internationalMinutesPerDay !== null) this.prune(day);
    if (rule.callsPerHour !== null) {
      const calls = await usage.add(s.subject, 'calls', `${day}T${String(Math.floor(moment.minutes / 60)).padStart(2, '0')}`, 1);
      if (calls > rule.callsPerHour) return refuse({ rule: 'calls-per-hour', limit: `${rule.callsPerHour} calls per hour`, problem: `${s.who} asked for call ${calls} this hour` });
    }
    if (rule.destinationsPerDay !== null) {
      const rank = await usage.addDestination(s.subject, day, dest.e164);
      if (rank > rule.destinationsPerDay) return refuse({ rule: 'destinations-per-day', limit: `${rule.destinationsPerDay} distinct numbers per day`, problem: `${dest.e164} would be number ${rank} ${s.who} calls today` });
    }
    if (!dest.abroad || rule.internationalMinutesPerDay === null) return null;
    const used = await usage.read(s.subject, 'international-seconds', day);
    if (used >= rule.internationalMinutesPerDay * 60) {
      return refuse({ rule: 'international-minutes', limit: `${rule.internationalMinutesPerDay} international minutes per day`, problem: `${s.who} has talked ${Math.ceil(used / 60)} international minutes today` });
    }
    return { subject: s.subject, token: s.token, day, capMinutes: rule.internationalMinutesPerDay };
  }

  private async refuse(r: Refusal, c: { at: Date; token: string | null; via: OriginVia | null; dest: Destination; group: string }): Promise<never> {
    const err = new GuardError(c.dest.e164, r.rule, r.limit, r.problem, c.token);
    this.log.warn({ rule: r.rule, limit: r.limit, token: c.token, via: c.via, number: c.dest.e164, class: c.dest.class, country: c.dest.country, group: c.group }, `toll guard refused a call: ${err.message}`);
    this.emit('refused', { at: c.at, rule: r.rule, limit: r.limit, message: err.message, token: c.token, via: c.via, number: c.dest.e164, class: c.dest.class, country: c.dest.country, group: c.group });
    if (CAP_RULES.has(r.rule)) await this.capHit(c.at, r.rule, r.limit, c.token, c.token ?? `(${c.via ?? 'local'})`, r.problem);
    throw err;
  }

  /** A cap was hit: the token is suspended (when there is one and a store to keep it) and the alert raised. */
  private async capHit(at: Date, rule: GuardRuleName, limit: string, token: string | null, subject: string, problem: string): Promise<void> {
    const reason = `toll-fraud guard: ${rule} cap hit (${limit}): ${problem}`;
    let suspended = false;
    if (token !== null && this.o.suspension !== null) {
      try {
        await this.o.suspension.suspend(token, reason);
        suspended = true;
        this.emit('suspended', { at, token, reason });
      } catch (err) {
        this.log.error({ token, rule, err: err instanceof Error ? err.message : String(err) }, 'toll guard: the token could not be suspended');
      }
    }
    const why = token === null ? 'no token to suspend' : this.o.suspension === null ? 'no token store to suspend it in' : suspended ? 'token suspended' : 'suspension failed';
    this.log.warn({ alert: 'fraud', rule, limit, token, subject, suspended }, `toll-fraud alert: ${reason}; ${why}`);
    this.emit('alert', { at, rule, limit, token, subject, message: reason, suspended });
  }

  /** Old periods go once a local day, off the call's path. */
  private prune(day: string): void {
    if (this.prunedFor === day) return;
    this.prunedFor = day;
    const before = new Date(Date.parse(`${day}T00:00:00Z`) - KEEP_DAYS * DAY_MS).toISOString().slice(0, 10);
    this.o.usage.prune(before).catch((err: unknown) => this.log.warn({ before, err: err instanceof Error ? err.message : String(err) }, 'toll guard: old counters not pruned'));
  }
}

function who(t: GuardTicket): string {
  return t.token === null ? `calls without a token ${t.subject}` : `token ${t.token}`;
}
