// Loading a sim scenario from YAML: syntax errors carry line:column, everything else goes
// through the validator, so a user mistake is always a HardwareError and never a stack trace.

import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { HardwareError } from '../errors';
import type { Scenario } from './scenario-types';
import { validateScenario } from './scenario-validation';

export * from './scenario-types';

/** Parses and validates scenario YAML; `source` names the file in messages. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    const where = `${source}:${pos.line}:${pos.col}`;
    throw new HardwareError('SCENARIO_INVALID', `${where}: YAML syntax error: ${syntax.message.split('\n')[0]}`);
  }
  return validateScenario(doc.toJS() as unknown, source);
}

export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new HardwareError('SCENARIO_INVALID', `cannot read scenario ${path}: ${code}`, {
      errnoCode: code,
      syscall: `open:${path}`,
    });
  }
  return parseScenario(text, path);
}
