// State machines as data: a {from, event, to} table checked once before anything runs on it
// (like FreeTDM's ftdm_state_map_t) and the pure step over its index. The trunk channels and
// the call legs each keep their own table; this is the check they share.

export interface Transition<S extends string, E extends string> {
  from: S;
  event: E;
  to: S;
}

/** Lookup built once from a checked table: `${from}/${event}` -> to. */
export type TransitionIndex<S extends string> = ReadonlyMap<string, S>;

export interface StateTableSpec<S extends string, E extends string> {
  states: readonly S[];
  events: readonly E[];
  table: readonly Transition<S, E>[];
  /** Where a machine may start: every state must be reachable from one of them. */
  initial: readonly S[];
  /** A state every other one must be able to reach (a leg can always end); none when absent. */
  terminal?: S;
}

/**
 * The problems of a table: unknown state or event names, a (from, event) pair given twice,
 * states no initial state reaches, states that cannot reach the terminal one. Empty when sound.
 */
export function tableProblems<S extends string, E extends string>(spec: StateTableSpec<S, E>): string[] {
  const problems: string[] = [];
  const states = new Set<string>(spec.states);
  const events = new Set<string>(spec.events);
  const seen = new Set<string>();
  spec.table.forEach((t, i) => {
    for (const [field, value] of [['from', t.from], ['to', t.to]] as const) {
      if (!states.has(value)) problems.push(`row ${i}: unknown state "${String(value)}" in ${field}`);
    }
    if (!events.has(t.event)) problems.push(`row ${i}: unknown event "${String(t.event)}"`);
    const key = `${t.from}/${t.event}`;
    if (seen.has(key)) problems.push(`row ${i}: ${t.from} --${t.event}--> given twice`);
    seen.add(key);
  });
  const reached = closure(spec.initial, spec.table, (t) => [t.from, t.to]);
  for (const s of spec.states) if (!reached.has(s)) problems.push(`state "${s}" cannot be reached from ${spec.initial.map((i) => `"${i}"`).join(' or ')}`);
  if (spec.terminal !== undefined) {
    const ending = closure([spec.terminal], spec.table, (t) => [t.to, t.from]);
    for (const s of spec.states) if (!ending.has(s)) problems.push(`state "${s}" cannot reach "${spec.terminal}"`);
  }
  return problems;
}

/** The index of a table already checked by tableProblems. */
export function indexTable<S extends string, E extends string>(table: readonly Transition<S, E>[]): TransitionIndex<S> {
  return new Map(table.map((t) => [`${t.from}/${t.event}`, t.to]));
}

/** The next state, or null when the table has no row for it (the caller refuses the event). */
export function step<S extends string, E extends string>(index: TransitionIndex<S>, from: S, event: E): S | null {
  return index.get(`${from}/${event}`) ?? null;
}

/** States reachable from `start` following edges [a, b] of each row. */
function closure<S extends string, E extends string>(start: readonly S[], table: readonly Transition<S, E>[], edge: (t: Transition<S, E>) => [S, S]): Set<string> {
  const reached = new Set<string>(start);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of table) {
      const [a, b] = edge(t);
      if (reached.has(a) && !reached.has(b)) {
        reached.add(b);
        grew = true;
      }
    }
  }
  return reached;
}
