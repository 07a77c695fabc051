// Reads the Prometheus text exposition format (what /metrics serves) into samples, so `check
// trunks` needs no metrics library: `name{label="value",...} value [timestamp]`, comments and
// blank lines skipped, label values unescaped (\\ \" \n). Pure.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** Every sample of the text; throws naming the line for one that is not a sample. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not a metric sample: ${line.slice(0, 80)}`);
    samples.push({ name: m[1] as string, labels: parseLabels(m[2] ?? '', i + 1), value: sampleValue(m[3] as string, i + 1) });
  }
  return samples;
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m) throw new Error(`line ${line}: labels do not parse after ${JSON.stringify(text.slice(at, at + 40))}`);
    labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function sampleValue(text: string, line: number): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const n = Number(text);
  if (text !== 'NaN' && Number.isNaN(n)) throw new Error(`line ${line}: ${JSON.stringify(text)} is not a number`);
  return n;
}
