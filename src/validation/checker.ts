// Shared validation (a bottom layer: the sim scenario and the provisioning site file both import
// it; it imports nothing of theirs). A Checker reads parsed YAML and collects every problem by
// path (cards[0].spans[1].type) with the bad value, the allowed values, a did-you-mean for
// misspellings, a severity, and the source line when a locator can find the path.

export type Severity = 'error' | 'warning';

export interface Issue {
  /** e.g. cards[0].spans[1].framing; '' for the whole document. */
  path: string;
  /** 1-based source line, when known. */
  line?: number;
  message: string;
  severity: Severity;
}

/** Finds the source line of a path, or undefined (data not read from a file, path absent). */
export type PathLocator = (path: string) => number | undefined;

export type Mapping = Record<string, unknown>;

/** Collects problems by path instead of stopping at the first, so one run shows them all. */
export class Checker {
  readonly issues: Issue[] = [];

  constructor(private readonly locate: PathLocator = () => undefined) {}

  fail(path: string, problem: string): void {
    this.add(path, problem, 'error');
  }

  warn(path: string, problem: string): void {
    this.add(path, problem, 'warning');
  }

  get errors(): Issue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }

  get warnings(): Issue[] {
    return this.issues.filter((i) => i.severity === 'warning');
  }

  mapping(value: unknown, path: string, keys: readonly string[]): Mapping | null {
    if (!isMapping(value)) {
      this.fail(path, `expected a mapping (key: value), got ${describe(value)}`);
      return null;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        this.fail(join(path, key), `unknown key${suggestion(key, keys)}; allowed: ${keys.join(', ')}`);
      }
    }
    return value;
  }

  list(value: unknown, path: string): unknown[] | null {
    if (Array.isArray(value)) return value;
    this.fail(path, value === undefined ? 'is required (a list)' : `expected a list, got ${describe(value)}`);
    return null;
  }

  int(value: unknown, path: string, min: number, max: number, fallback: number | undefined): number {
    const n = this.number(value, path, min, max, fallback);
    if (!Number.isInteger(n)) {
      this.fail(path, `expected a whole number, got ${describe(value)}`);
      return min;
    }
    return n;
  }

  number(value: unknown, path: string, min: number, max: number, fallback: number | undefined): number {
    if (value === undefined && fallback !== undefined) return fallback;
    if (value === undefined) {
      this.fail(path, 'is required');
      return min;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.fail(path, `expected a number from ${min} to ${max}, got ${describe(value)}`);
      return min;
    }
    return value;
  }

  bool(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.fail(path, `expected true or false, got ${describe(value)}`);
    return fallback;
  }

  text(value: unknown, path: string, fallback: string | undefined): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.fail(path, value === undefined ? 'is required (a text)' : `expected a non-empty text, got ${describe(value)}`);
    return fallback ?? '';
  }

  /** One of `allowed`; text matches ignore case (e1 = E1) so that only real mistakes fail. */
  oneOf<T extends string | number>(value: unknown, path: string, allowed: readonly T[], fallback: T | undefined): T | undefined {
    if (value === undefined) {
      if (fallback === undefined) this.fail(path, `is required; one of ${allowed.join(', ')}`);
      return fallback;
    }
    const found = allowed.find((a) => a === value || (typeof value === 'string' && String(a).toLowerCase() === value.toLowerCase()));
    if (found !== undefined) return found;
    const hint = typeof value === 'string' ? suggestion(value, allowed.map(String)) : '';
    this.fail(path, `${describe(value)} is not one of ${allowed.join(', ')}${hint}`);
    return fallback;
  }

  private add(path: string, problem: string, severity: Severity): void {
    const line = this.locate(path);
    const message = `${path || '(top level)'}: ${problem}`;
    this.issues.push(line === undefined ? { path, message, severity } : { path, line, message, severity });
  }
}

/** `site.yaml:12: spans[1].framing: ...`, or the bare message when the line is unknown. */
export function formatIssue(issue: Issue, source?: string): string {
  if (source === undefined || issue.line === undefined) return issue.message;
  return `${source}:${issue.line}: ${issue.message}`;
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (empty)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value) ?? String(value);
}

/** " (did you mean "spans"?)" when a close enough word exists, else "". */
export function suggestion(word: string, options: readonly string[]): string {
  const w = word.toLowerCase();
  const limit = w.length <= 3 ? 1 : Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const option of options) {
    const d = editDistance(w, option.toLowerCase());
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Optimal-string-alignment distance: a swapped pair of letters counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = d;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
