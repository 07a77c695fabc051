// Turns the flat line list of an Asterisk configuration into sections, applying what config.c
// applies at load time: `(!)` marks a template, `(name,...)` copies the variables of earlier
// sections or templates, `(+)` appends to an earlier section of the same name, `+=` appends to
// the last value of a variable. What Asterisk refuses here (a setting before any section,
// inheriting or extending a section that does not exist) is refused with file:line.

import type { ConfLine, SourceRef } from './conf-lexer';
import { importInvalid } from './import-notes';

export interface ConfVariable {
  key: string;
  value: string;
  /** Written with `=>` (chan_dahdi treats `channel =>` and `channel =` alike). */
  object: boolean;
  at: SourceRef;
}

export interface ConfSection {
  name: string;
  /** `(!)`: a template, skipped by modules browsing the file. */
  template: boolean;
  at: SourceRef;
  variables: ConfVariable[];
}

export function buildSections(lines: readonly ConfLine[]): ConfSection[] {
  const sections: ConfSection[] = [];
  let current: ConfSection | null = null;
  for (const line of lines) {
    if (line.kind === 'section') {
      current = openSection(sections, line.name, line.options, line.at);
    } else if (line.kind === 'setting') {
      if (current === null) throw importInvalid(line.at, `'${line.key}' comes before any [section]`);
      addVariable(current, line.key, line.value, line.op, line.at);
    }
  }
  return sections;
}

function findSection(sections: readonly ConfSection[], name: string): ConfSection | undefined {
  return sections.find((s) => s.name === name);
}

function openSection(sections: ConfSection[], name: string, options: readonly string[], at: SourceRef): ConfSection {
  let section: ConfSection = { name, template: false, at, variables: [] };
  let isNew = true;
  for (const option of options) {
    if (option === '!') {
      section.template = true;
    } else if (option === '+') {
      const existing = findSection(sections, name);
      if (!existing) throw importInvalid(at, `[${name}](+) adds to a section that does not exist yet`);
      existing.variables.push(...section.variables);
      section = existing;
      isNew = false;
    } else {
      const base = findSection(sections, option);
      if (!base) throw importInvalid(at, `[${name}] inherits from '${option}', which is not defined above it`);
      section.variables.push(...base.variables);
    }
  }
  if (isNew) sections.push(section);
  return section;
}

function addVariable(section: ConfSection, key: string, value: string, op: '=' | '=>' | '+=', at: SourceRef): void {
  if (op === '+=') {
    const last = [...section.variables].reverse().find((v) => v.key === key);
    if (last) {
      const index = section.variables.lastIndexOf(last);
      section.variables[index] = { ...last, value: `${last.value}${value}`.trim(), at };
      return;
    }
  }
  section.variables.push({ key, value: value.trim(), object: op === '=>', at });
}
