// The alarm explanations the status page shows, in every language diag speaks, taken from the
// diag tables themselves (one source: a wording fixed there is fixed on the page). Placeholders
// stay in: the page fills {span}, {alarms} and {sync} for each span it draws.

import { FINDING_TEXT, LABELS, LANGS, type FindingKey, type FindingText, type Lang, type LabelKey } from '../../diagnostics/messages';

export interface PageTexts {
  langs: readonly Lang[];
  findings: Record<Lang, Record<FindingKey, FindingText>>;
  labels: Record<Lang, Record<LabelKey, string>>;
}

export function pageTexts(): PageTexts {
  const byLang = <K extends string, V>(table: Record<K, Record<Lang, V>>, lang: Lang): Record<K, V> =>
    Object.fromEntries(Object.entries<Record<Lang, V>>(table).map(([key, texts]) => [key, texts[lang]])) as Record<K, V>;
  return {
    langs: LANGS,
    findings: Object.fromEntries(LANGS.map((l) => [l, byLang(FINDING_TEXT, l)])) as PageTexts['findings'],
    labels: Object.fromEntries(LANGS.map((l) => [l, byLang(LABELS, l)])) as PageTexts['labels'],
  };
}
