// Whether assigned-spans.conf and span-types.conf take effect on this box. dahdi-tools' udev hook
// runs dahdi_span_types and dahdi_span_assignments (which read them) only when the dahdi module
// leaves span assignment to user space: module option auto_assign_spans=0. With 1 the kernel
// assigns every span itself, in the order the cards are probed, and both files are ignored. The
// option is read from sysfs at the edge; what it means is decided here.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpanAssignment {
  /** files: the files pin the spans; kernel: probe order does; unknown: DAHDI is not loaded here. */
  mode: 'files' | 'kernel' | 'unknown';
  /** The option's value as the module reports it, or null. */
  autoAssignSpans: number | null;
  message: string;
}

export const MODPROBE_LINE = 'options dahdi auto_assign_spans=0';

/** Where the running module shows the option, under a sysfs root. */
export function autoAssignPath(sysRoot: string): string {
  return join(sysRoot, 'module', 'dahdi', 'parameters', 'auto_assign_spans');
}

/** What the option's text (null: no such file, DAHDI not loaded) means for the pin files. */
export function spanAssignment(text: string | null): SpanAssignment {
  const value = text === null ? Number.NaN : Number.parseInt(text.trim(), 10);
  if (value === 0) {
    return {
      mode: 'files',
      autoAssignSpans: 0,
      message: 'the dahdi module leaves span assignment to assigned-spans.conf (auto_assign_spans=0): the new pins apply when the cards next ' +
        'register (driver reload or boot), or at once, dropping calls, with dahdi_span_assignments remove, dahdi_span_types set, dahdi_span_assignments add',
    };
  }
  if (Number.isInteger(value)) {
    return {
      mode: 'kernel',
      autoAssignSpans: value,
      message: `the dahdi module assigns spans itself (auto_assign_spans=${value}): assigned-spans.conf and span-types.conf are ignored and ` +
        `spans are numbered in the order the cards are probed. To pin them, put "${MODPROBE_LINE}" in a file under /etc/modprobe.d/ ` +
        '(dahdi-tools\' udev rules then run dahdi_span_types and dahdi_span_assignments as cards register) and reload the driver',
    };
  }
  return {
    mode: 'unknown',
    autoAssignSpans: null,
    message: 'DAHDI is not loaded here: assigned-spans.conf and span-types.conf take effect only where the dahdi module has auto_assign_spans=0 ' +
      `("${MODPROBE_LINE}" under /etc/modprobe.d/)`,
  };
}

/** Reads the running module's option; a missing file means DAHDI is not loaded. */
export async function readSpanAssignment(sysRoot: string): Promise<SpanAssignment> {
  try {
    return spanAssignment(await readFile(autoAssignPath(sysRoot), 'utf8'));
  } catch {
    return spanAssignment(null);
  }
}
