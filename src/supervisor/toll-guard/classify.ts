// A destination's class, from the site's numbering plan: abroad (another country code), or at
// home premium / shared-cost / toll-free / mobile by number range - the site file's ranges
// (routing.numbering.classes) and the built-in ones of the number's country - else local (the
// site's area code) or national. Pure; compile once per site, ask per call. The most expensive
// class wins when ranges overlap, so a mistake in a range errs on the side of refusing.

import type { DestinationClass, NumberClasses, RangeClass } from '../../provisioning/site/guard-types';
import { compilePattern, type NumberPattern } from '../../provisioning/site/number-pattern';
import type { Numbering } from '../../provisioning/site/routing-types';
import type { E164Number } from '../numbering/numbering';
import { DEFAULT_RANGES } from './default-ranges';

export interface Destination {
  e164: string;
  /** Country code, digits only. */
  country: string;
  class: DestinationClass;
  /** Another country than the site's (or the site has no numbering plan to tell). */
  abroad: boolean;
}

export interface Classifier {
  classify(number: E164Number): Destination;
}

/** Checked in this order: the costliest first. */
const ORDER: readonly RangeClass[] = ['premium', 'sharedCost', 'tollFree', 'mobile'];
const CLASS_OF: Readonly<Record<RangeClass, DestinationClass>> = { premium: 'premium', sharedCost: 'shared-cost', tollFree: 'toll-free', mobile: 'mobile' };
/** Abroad, only these ranges say more than `international`. */
const COSTLY_ABROAD: ReadonlySet<RangeClass> = new Set(['premium', 'sharedCost']);

type Compiled = Record<RangeClass, NumberPattern[]>;

function compile(classes: NumberClasses | undefined): Compiled {
  return {
    premium: (classes?.premium ?? []).map(compilePattern),
    sharedCost: (classes?.sharedCost ?? []).map(compilePattern),
    tollFree: (classes?.tollFree ?? []).map(compilePattern),
    mobile: (classes?.mobile ?? []).map(compilePattern),
  };
}

export function compileClassifier(numbering: Numbering | null): Classifier {
  const site = compile(numbering?.classes);
  const defaults = new Map(Object.entries(DEFAULT_RANGES).map(([cc, classes]) => [cc, compile(classes)]));
  const home = numbering?.country ?? null;
  const area = numbering?.localAreaCode ?? null;

  const rangeOf = (n: E164Number, atHome: boolean): RangeClass | null => {
    const builtIn = defaults.get(n.country);
    return ORDER.find((k) =>
      site[k].some((p) => (p.e164 ? p.test(n.e164) : atHome && p.test(n.national))) || (builtIn?.[k].some((p) => p.test(n.national)) ?? false),
    ) ?? null;
  };

  return {
    classify(n) {
      const abroad = n.country !== home;
      const range = rangeOf(n, !abroad);
      const base = { e164: n.e164, country: n.country, abroad };
      if (abroad) return { ...base, class: range !== null && COSTLY_ABROAD.has(range) ? CLASS_OF[range] : 'international' };
      if (range !== null) return { ...base, class: CLASS_OF[range] };
      const local = area !== null && n.national.startsWith(area) && n.national.length > area.length;
      return { ...base, class: local ? 'local' : 'national' };
    },
  };
}
