// Loading a sim scenario from YAML: syntax errors carry line:column, everything else goes
// through the validator, so a user mistake is always a HardwareError and never a stack trace.

import { readFile } from 'node:fs/promises';
import { readYaml } from '../../validation/yaml-source';
import { HardwareError } from '../errors';
import type { Scenario } from './scenario-types';
import { validateScenario } from './scenario-validation';

export * from './scenario-types';

/** Parses and validates scenario YAML; `source` names the file in messages. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  const yaml = readYaml(text);
  if (!yaml.ok) {
    throw new HardwareError('SCENARIO_INVALID', `${source}:${yaml.line}:${yaml.col}: YAML syntax error: ${yaml.message}`);
  }
  return validateScenario(yaml.value, source, yaml.locate);
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
