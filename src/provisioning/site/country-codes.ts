// E.164 country codes in service (ITU-T E.164 assignment list, spare and withdrawn codes left
// out: 671 Guam and 684 American Samoa moved into +1). Codes are prefix-free by design, so a
// number's code is the one listed prefix it starts with. Data only.

const RANGES: readonly (readonly [number, number])[] = [
  [1, 1], [7, 7], [20, 20], [27, 27], [30, 34], [36, 36], [39, 41], [43, 49], [51, 58], [60, 66],
  [81, 82], [84, 84], [86, 86], [90, 95], [98, 98],
  [211, 213], [216, 216], [218, 218], [220, 258], [260, 269], [290, 291], [297, 299],
  [350, 359], [370, 383], [385, 387], [389, 389], [420, 421], [423, 423],
  [500, 509], [590, 599], [670, 670], [672, 683], [685, 692],
  [800, 800], [808, 808], [850, 850], [852, 853], [855, 856], [870, 870], [878, 878],
  [880, 883], [886, 886], [888, 888], [960, 968], [970, 977], [979, 979], [992, 996], [998, 998],
];

/** Every assigned code as text ('1', '86', '852'). */
export const COUNTRY_CODES: readonly string[] = RANGES.flatMap(([from, to]) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i)));

const CODES = new Set(COUNTRY_CODES);

export function isCountryCode(code: string): boolean {
  return CODES.has(code);
}

/** The country code an international number (digits after '+') starts with, or null. */
export function countryCodeOf(digits: string): string | null {
  for (const length of [1, 2, 3]) {
    const code = digits.slice(0, length);
    if (code.length === length && CODES.has(code)) return code;
  }
  return null;
}
