// The stand-in's dialplan: which contexts and extensions exist and the application each one
// runs, so a `continue` goes where Asterisk would send it - into that application, or, for a
// context/extension that does not exist, straight to the end of the channel (pbx finds nothing
// to run). One application per extension: the stand-in holds the channel in it until the call
// is hung up, except Stasis, which hands the channel to a Stasis app again.

import { asteriskPattern } from './dial-script';

/** An extension: exact ("s", "100") or an Asterisk pattern ("_X.", "_!" = any). */
export interface DialplanExtension {
  exten: string;
  /** Application it runs (default "Wait"); "Stasis" re-enters a Stasis app named by appData. */
  app?: string;
  appData?: string;
}

/** Context -> its extensions; a bare string is an extension running Wait. */
export type DialplanSpec = Readonly<Record<string, readonly (string | DialplanExtension)[]>>;

export interface DialplanStep {
  app: string;
  appData: string;
}

interface CompiledExtension {
  matches: (exten: string) => boolean;
  exact: boolean;
  step: DialplanStep;
}

export class Dialplan {
  private readonly contexts = new Map<string, CompiledExtension[]>();

  constructor(spec: DialplanSpec) {
    for (const [context, extensions] of Object.entries(spec)) {
      this.contexts.set(context, extensions.map((e) => compile(typeof e === 'string' ? { exten: e } : e)));
    }
  }

  /** What runs at context/exten, or null when Asterisk would find no such extension. */
  lookup(context: string, exten: string): DialplanStep | null {
    const exts = this.contexts.get(context);
    if (!exts) return null;
    // Asterisk prefers an exact extension over a pattern.
    const hit = exts.find((e) => e.exact && e.matches(exten)) ?? exts.find((e) => e.matches(exten));
    return hit ? { ...hit.step } : null;
  }

  has(context: string): boolean {
    return this.contexts.has(context);
  }
}

function compile(e: DialplanExtension): CompiledExtension {
  const step = { app: e.app ?? 'Wait', appData: e.appData ?? '' };
  if (!e.exten.startsWith('_')) return { matches: (x) => x === e.exten, exact: true, step };
  const re = asteriskPattern(e.exten.slice(1));
  return { matches: (x) => re.test(x), exact: false, step };
}

/** Contexts of `extra` replace those of `base` whole (a context is declared in one place). */
export function mergeDialplans(base: DialplanSpec, extra: DialplanSpec | undefined): DialplanSpec {
  return { ...base, ...(extra ?? {}) };
}
