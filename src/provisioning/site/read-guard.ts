// Reading the toll-fraud guard's part of the site file: the number ranges of
// routing.numbering.classes and a trunk group's routing.outbound[].guard. Kept apart from the
// numbering and outbound readers, which only hand their key over. The class and country lists
// are read the same way for the supervisor's config file (its `guard:` section).

import { suggestion, type Checker } from '../../validation/checker';
import { COUNTRY_CODES, isCountryCode } from './country-codes';
import { DESTINATION_CLASSES, RANGE_CLASSES, type DestinationClass, type GroupGuard, type NumberClasses } from './guard-types';
import { readPatterns } from './read-inbound';

export const GROUP_GUARD_KEYS = ['allow', 'countries'] as const;

/**
 * `nationalPrefix`: the site's trunk prefix. A range is a national significant number, so one
 * written with the prefix ("0900") would never match: it is refused with the form that does.
 */
export function readNumberClasses(c: Checker, value: unknown, path: string, nationalPrefix: string | null): NumberClasses | undefined {
  if (value === undefined) return undefined;
  const m = c.mapping(value, path, RANGE_CLASSES) ?? {};
  const read = (key: (typeof RANGE_CLASSES)[number]): string[] => {
    const patterns = readPatterns(c, m[key], `${path}.${key}`);
    patterns.forEach((p, i) => {
      const body = p.startsWith('_') ? p.slice(1) : p;
      if (nationalPrefix !== null && body.startsWith(nationalPrefix)) {
        c.fail(`${path}.${key}[${i}]`, `"${p}" starts with the national prefix ${nationalPrefix}, which a range never holds (it is matched against the number after the prefix); write "${p.startsWith('_') ? '_' : ''}${body.slice(nationalPrefix.length)}", or "+..." for the E.164 form`);
      }
    });
    return patterns;
  };
  return { premium: read('premium'), sharedCost: read('sharedCost'), tollFree: read('tollFree'), mobile: read('mobile') };
}

export function readGroupGuard(c: Checker, value: unknown, path: string): GroupGuard | undefined {
  if (value === undefined) return undefined;
  const m = c.mapping(value, path, GROUP_GUARD_KEYS) ?? {};
  return { allow: readClassList(c, m.allow, `${path}.allow`), countries: readCountries(c, m.countries, `${path}.countries`) };
}

/** `[local, national, mobile]`; null when not given (everything allowed). */
export function readClassList(c: Checker, value: unknown, path: string): DestinationClass[] | null {
  if (value === undefined) return null;
  const list = c.list(value, path) ?? [];
  const out = new Set<DestinationClass>();
  list.forEach((item, i) => {
    const found = DESTINATION_CLASSES.find((k) => k === item);
    if (found) out.add(found);
    else c.fail(`${path}[${i}]`, `${JSON.stringify(item) ?? 'nothing'} is not a destination class${typeof item === 'string' ? suggestion(item, DESTINATION_CLASSES) : ''}; allowed: ${DESTINATION_CLASSES.join(', ')}`);
  });
  return [...out];
}

/** `["+86", "+852"]` (a bare 86 is read too) -> ['86', '852']; null when not given. */
export function readCountries(c: Checker, value: unknown, path: string): string[] | null {
  if (value === undefined) return null;
  const list = c.list(value, path) ?? [];
  const out = new Set<string>();
  list.forEach((item, i) => {
    const text = typeof item === 'number' && Number.isInteger(item) ? String(item) : typeof item === 'string' ? item.trim().replace(/^\+/, '') : '';
    if (/^\d{1,3}$/.test(text) && isCountryCode(text)) out.add(text);
    else c.fail(`${path}[${i}]`, `${JSON.stringify(item) ?? 'nothing'} is not an assigned E.164 country code; write it quoted with its +, like "+86"${suggestion(text, COUNTRY_CODES.filter((k) => k.length === text.length))}`);
  });
  return [...out];
}
