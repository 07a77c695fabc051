// Reading the inbound half of the routing section: named targets (with limit and overflow),
// number pattern lists, VIP lists, the blacklist and the ordered rules. Names are checked
// against what the file defines here, so every message carries the path and line of the use.

import { suggestion, type Checker } from '../../validation/checker';
import { patternProblem } from './number-pattern';
import type { GroupResolver } from './read-spans';
import { readWindow } from './read-time';
import type { Direction } from './site-types';
import {
  REJECT_CAUSES, type Blacklist, type HolidayCondition, type InboundRule, type RejectCause, type RoutingTarget, type VipList,
} from './routing-types';

export const TARGET_KEYS = ['name', 'context', 'extension', 'priority', 'limit', 'overflow'] as const;
export const RULE_KEYS = ['name', 'did', 'callerId', 'groups', 'time', 'holidays', 'target', 'reject'] as const;
export const VIP_KEYS = ['name', 'callers', 'target'] as const;
export const BLACKLIST_KEYS = ['callers', 'anonymous'] as const;
const HOLIDAY_KEYS = ['calendar', 'match'] as const;
const NAME_TEXT = /^[A-Za-z0-9_.-]+$/;
const CONTEXT_TEXT = /^[A-Za-z0-9_.+-]+$/;
const EXTENSION_TEXT = /^([A-Za-z0-9_*#+.-]|\{did\})+$/;

/** The direction of a defined group (in, out, both). */
export type DirectionOf = (group: number) => Direction | undefined;

/** What the inbound readers need to know about the rest of the file. */
export interface InboundScope {
  group: GroupResolver;
  directionOf: DirectionOf;
  calendars: readonly string[];
  targets: readonly string[];
}

export function readName(c: Checker, value: unknown, path: string, taken: Set<string>, kind: string): string {
  const name = c.text(value, path, undefined);
  if (name !== '' && !NAME_TEXT.test(name)) c.fail(path, `"${name}" is not a usable ${kind} name (letters, digits, _ . -)`);
  if (taken.has(name)) c.fail(path, `${kind} name "${name}" is used twice`);
  taken.add(name);
  return name;
}

export function readTargets(c: Checker, value: unknown, path: string): { target: RoutingTarget; path: string }[] {
  if (value === undefined) return [];
  const taken = new Set<string>();
  return (c.list(value, path) ?? []).flatMap((item, i) => {
    const p = `${path}[${i}]`;
    const m = c.mapping(item, p, TARGET_KEYS);
    if (m === null) return [];
    const context = c.text(m.context, `${p}.context`, undefined);
    if (context !== '' && !CONTEXT_TEXT.test(context)) c.fail(`${p}.context`, `"${context}" is not a usable Asterisk context name (letters, digits, _ . + -)`);
    const extension = c.text(m.extension, `${p}.extension`, 's');
    if (!EXTENSION_TEXT.test(extension)) c.fail(`${p}.extension`, `"${extension}" is not a usable extension (letters, digits, _ * # + . - and {did})`);
    return [{
      path: p,
      target: {
        name: readName(c, m.name, `${p}.name`, taken, 'target'),
        context,
        extension,
        priority: c.int(m.priority, `${p}.priority`, 1, 99_999, 1),
        limit: m.limit === undefined ? null : c.int(m.limit, `${p}.limit`, 1, 100_000, undefined),
        overflow: m.overflow === undefined ? null : c.text(m.overflow, `${p}.overflow`, undefined),
      },
    }];
  });
}

/** A pattern or a list of them; each must pass patternProblem. */
export function readPatterns(c: Checker, value: unknown, path: string): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) c.fail(path, 'is an empty list; leave the key out to match any number');
  return items.flatMap((item, i) => {
    const p = Array.isArray(value) ? `${path}[${i}]` : path;
    // Unquoted digits arrive as YAML numbers: 013800138000 would lose its 0, so ask for quotes.
    if (typeof item !== 'string') {
      c.fail(p, `${JSON.stringify(item) ?? 'nothing'} is not a text; quote numbers and patterns ("010", "_1XXXXXXXXXX") so leading zeros stay`);
      return [];
    }
    const problem = patternProblem(item.trim());
    if (problem !== null) {
      c.fail(p, `pattern "${item}" ${problem}`);
      return [];
    }
    return [item.trim()];
  });
}

export function refersTo(c: Checker, value: unknown, path: string, names: readonly string[], kind: string): string | null {
  const name = c.text(value, path, undefined);
  if (name === '') return null;
  if (names.includes(name)) return name;
  const known = names.length === 0 ? `no ${kind}s are defined` : `defined: ${names.join(', ')}`;
  c.fail(path, `${kind} "${name}" does not exist${suggestion(name, names)}; ${known}`);
  return null;
}

export function readVip(c: Checker, value: unknown, path: string, scope: InboundScope): VipList[] {
  if (value === undefined) return [];
  const taken = new Set<string>();
  return (c.list(value, path) ?? []).flatMap((item, i) => {
    const p = `${path}[${i}]`;
    const m = c.mapping(item, p, VIP_KEYS);
    if (m === null) return [];
    const callers = readPatterns(c, m.callers, `${p}.callers`);
    if (m.callers === undefined) c.fail(`${p}.callers`, 'is required (caller-ID patterns)');
    const target = refersTo(c, m.target, `${p}.target`, scope.targets, 'target');
    return [{ name: readName(c, m.name, `${p}.name`, taken, 'VIP list'), callers, target: target ?? '' }];
  });
}

export function readBlacklist(c: Checker, value: unknown, path: string): Blacklist {
  if (value === undefined) return { callers: [], anonymous: false };
  const m = c.mapping(value, path, BLACKLIST_KEYS) ?? {};
  return { callers: readPatterns(c, m.callers, `${path}.callers`), anonymous: c.bool(m.anonymous, `${path}.anonymous`, false) };
}

export function readRules(c: Checker, value: unknown, path: string, scope: InboundScope): { rule: InboundRule; path: string }[] {
  if (value === undefined) return [];
  const taken = new Set<string>();
  return (c.list(value, path) ?? []).flatMap((item, i) => {
    const p = `${path}[${i}]`;
    const m = c.mapping(item, p, RULE_KEYS);
    if (m === null) return [];
    const groups = m.groups === undefined ? [] : (Array.isArray(m.groups) ? m.groups : [m.groups])
      .flatMap((g, j) => {
        const gp = Array.isArray(m.groups) ? `${p}.groups[${j}]` : `${p}.groups`;
        const n = scope.group(g, gp);
        if (n !== null && scope.directionOf(n) === 'out') c.fail(gp, `group ${n} is outbound-only (direction: out); no inbound call arrives on it`);
        return n === null ? [] : [n];
      });
    const time = m.time === undefined ? [] : (c.list(m.time, `${p}.time`) ?? [])
      .flatMap((w, j) => readWindow(c, w, `${p}.time[${j}]`) ?? []);
    return [{
      path: p,
      rule: {
        name: readName(c, m.name, `${p}.name`, taken, 'rule'),
        did: readPatterns(c, m.did, `${p}.did`),
        callerId: readPatterns(c, m.callerId, `${p}.callerId`),
        groups,
        time,
        holidays: readHolidayCondition(c, m.holidays, `${p}.holidays`, scope.calendars),
        action: readAction(c, m.target, m.reject, p, scope.targets),
      },
    }];
  });
}

function readHolidayCondition(c: Checker, value: unknown, path: string, calendars: readonly string[]): HolidayCondition | null {
  if (value === undefined) return null;
  const m = c.mapping(value, path, HOLIDAY_KEYS);
  if (m === null) return null;
  const calendar = refersTo(c, m.calendar, `${path}.calendar`, calendars, 'holiday calendar');
  const match = c.oneOf(m.match, `${path}.match`, ['only', 'except'] as const, 'only') ?? 'only';
  return calendar === null ? null : { calendar, match };
}

function readAction(c: Checker, target: unknown, reject: unknown, path: string, targets: readonly string[]): InboundRule['action'] {
  if ((target === undefined) === (reject === undefined)) {
    c.fail(path, 'needs exactly one of target (a target name) or reject (a Q.850 cause)');
    return { kind: 'reject', cause: 21 };
  }
  if (reject !== undefined) {
    const cause = c.oneOf(reject, `${path}.reject`, REJECT_CAUSES, undefined);
    return { kind: 'reject', cause: cause ?? (21 as RejectCause) };
  }
  return { kind: 'target', target: refersTo(c, target, `${path}.target`, targets, 'target') ?? '' };
}
