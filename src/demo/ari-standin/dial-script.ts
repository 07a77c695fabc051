// What the far end does with an outbound call: scripted per number (exact, an Asterisk pattern
// like _9X. , or a RegExp), optionally only on one span (the carrier behind it), or a default,
// either one outcome or a seeded weighted mix.

import { Prng } from '../../hardware/sim/prng';

export type DialOutcome =
  /**
   * Alerting after ringMs (default half of afterMs), CONNECT after afterMs; optional far-end
   * clearing after talkMs; optionally the far end presses DTMF `press.afterMs` after answer.
   * `press.from: 'playback'` counts from the first playback started on the call instead (a
   * listener reacting to a prompt: never, if no prompt is played); `promptHangupMs` clears
   * that long after the first playback started (a listener who hangs up on the prompt).
   */
  | { kind: 'answer'; afterMs?: number; ringMs?: number; talkMs?: number; promptHangupMs?: number; press?: DtmfPress }
  /** DISCONNECT cause 17 before alerting. */
  | { kind: 'busy'; afterMs?: number }
  /** Alerting, never answered: the originate timeout ends it (cause 19, no Dial status after RINGING). */
  | { kind: 'noanswer'; ringMs?: number }
  /** The network refuses: cause 34 by default (or 41, 42, 44, ...). */
  | { kind: 'congestion'; afterMs?: number; cause?: number }
  /** Invalid or unallocated number: cause 28 (default) or 1. */
  | { kind: 'invalid'; afterMs?: number; cause?: 1 | 28 }
  /** Any other far-end clearing before answer, optionally after alerting. */
  | { kind: 'reject'; cause: number; afterMs?: number; alerting?: boolean };

/** What the far end's delays count from: the answer, or the first prompt it hears. */
export type FarEndClock = 'answer' | 'playback';

/** Digits the far end presses after answer (a confirmation), when and how long each. */
export interface DtmfPress {
  digits: string;
  afterMs?: number;
  /** Default 'answer'. */
  from?: FarEndClock;
  durationMs?: number;
  gapMs?: number;
}

export interface DialRule {
  /** "5551234" exactly, "_9NXX." as an Asterisk pattern, or a RegExp on the number. */
  pattern: string | RegExp;
  outcome: DialOutcome;
  /** Only calls dialled out on this span (its carrier congested, say); any span when absent. */
  span?: number;
}

export interface OutcomeMix {
  mix: { weight: number; outcome: DialOutcome }[];
}

export interface DialScriptOptions {
  rules?: DialRule[];
  /** Default: answer after 200 ms. */
  default?: DialOutcome | OutcomeMix;
  seed?: number;
}

export class DialScript {
  private readonly rules: { test: (n: string) => boolean; span: number | null; outcome: DialOutcome }[] = [];
  private fallback: DialOutcome | OutcomeMix;
  private readonly prng: Prng;

  constructor(options: DialScriptOptions = {}) {
    for (const r of options.rules ?? []) this.add(r);
    this.fallback = options.default ?? { kind: 'answer', afterMs: 200 };
    this.prng = new Prng(options.seed ?? 1);
  }

  /** Rules added later win over earlier ones. */
  add(rule: DialRule): void {
    this.rules.unshift({ test: matcher(rule.pattern), span: rule.span ?? null, outcome: rule.outcome });
  }

  setDefault(outcome: DialOutcome | OutcomeMix): void {
    this.fallback = outcome;
  }

  clear(): void {
    this.rules.length = 0;
  }

  outcomeFor(number: string, span: number): DialOutcome {
    const rule = this.rules.find((r) => (r.span === null || r.span === span) && r.test(number));
    if (rule) return rule.outcome;
    if (!('mix' in this.fallback)) return this.fallback;
    const total = this.fallback.mix.reduce((s, m) => s + m.weight, 0);
    let x = this.prng.next() * total;
    for (const m of this.fallback.mix) {
      x -= m.weight;
      if (x < 0) return m.outcome;
    }
    return this.fallback.mix[this.fallback.mix.length - 1]?.outcome ?? { kind: 'answer' };
  }
}

function matcher(pattern: string | RegExp): (n: string) => boolean {
  if (pattern instanceof RegExp) return (n) => pattern.test(n);
  if (!pattern.startsWith('_')) return (n) => n === pattern;
  return (n) => asteriskPattern(pattern.slice(1)).test(n);
}

/** Asterisk extension pattern: X [0-9], Z [1-9], N [2-9], [..] sets, . one or more, ! zero or more. */
export function asteriskPattern(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] ?? '';
    const u = c.toUpperCase();
    if (u === 'X') re += '[0-9]';
    else if (u === 'Z') re += '[1-9]';
    else if (u === 'N') re += '[2-9]';
    else if (c === '.') re += '.+';
    else if (c === '!') re += '.*';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) throw new SyntaxError(`pattern _${p}: unclosed [`);
      re += `[${p.slice(i + 1, end).replace(/[\\^\]]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
