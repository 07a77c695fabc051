// The toll-fraud guard's part of the site model: the destination classes a number falls in, the
// number ranges the site file adds to the built-in ones (routing.numbering.classes), and what a
// trunk group lets through (routing.outbound[].guard). Types only; the supervisor's toll guard
// classifies and decides with them.

/**
 * What a call to a number costs its owner, roughly: the classes a policy allows or refuses.
 * Calls abroad are `international`; a number abroad in a premium or shared-cost range is that
 * class too, and both must be allowed.
 */
export const DESTINATION_CLASSES = ['local', 'national', 'mobile', 'toll-free', 'shared-cost', 'premium', 'international'] as const;
export type DestinationClass = (typeof DESTINATION_CLASSES)[number];

/** The classes a number range can put a number in (the others follow from the numbering plan). */
export const RANGE_CLASSES = ['premium', 'sharedCost', 'tollFree', 'mobile'] as const;
export type RangeClass = (typeof RANGE_CLASSES)[number];

/**
 * Number patterns per class (number-pattern.ts syntax). Without '+' a pattern is matched against
 * the national significant number of a number in the site's own country ('900', '_1[3-9]XXXXXXXXX');
 * with '+' against the E.164 form of any number ('+88216', '_+1876NXXXXXX').
 */
export type NumberClasses = Record<RangeClass, string[]>;

/** What a trunk group's carrier contract allows; null fields allow everything. */
export interface GroupGuard {
  allow: DestinationClass[] | null;
  /** Country codes (digits, no '+') calls abroad may go to. */
  countries: string[] | null;
}
