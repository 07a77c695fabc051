// What the apply engine needs to know about a system.conf, read the way dahdi_cfg reads it
// ('#' comments, keyword=value, keywords in any case): which spans it configures, which
// channels each line names (to turn "failed on channel 16" into a line number), and which
// lines belong to which span (to reconfigure only the spans that changed).

export interface ConfLine {
  /** 1-based, as dahdi_cfg counts. */
  line: number;
  key: string;
  value: string;
}

/** Channel keywords after which dahdi_cfg keeps the current span (is_digital in chanconfig()). */
const DIGITAL_KEYS = new Set(['cas', 'user', 'dacs', 'dacsrbs', 'indclear', 'bchan', 'clear', 'rawhdlc', 'nethdlc', 'fcshdlc', 'dchan', 'hardhdlc', 'mtp2']);
/** Channel keywords that end a span's block in dahdi_cfg (current_span = 0). */
const ANALOG_KEYS = new Set(['e&m', 'e&me1', 'fxsls', 'fxsgs', 'fxsks', 'fxols', 'fxogs', 'fxoks', 'unused']);
/** Keywords whose value (after the echo canceller name for echocanceller) is a channel list. */
const CHANNEL_LIST_KEYS = new Set([...DIGITAL_KEYS, ...ANALOG_KEYS, 'alaw', 'mulaw', 'deflaw', '56k', 'echocanceller', 'channel', 'channels']);

export function parseSystemConf(text: string): ConfLine[] {
  const lines: ConfLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const body = raw.split('#')[0]?.trim() ?? '';
    const eq = body.indexOf('=');
    if (body === '' || eq < 0) return;
    lines.push({ line: i + 1, key: body.slice(0, eq).trim().toLowerCase(), value: body.slice(eq + 1).trim() });
  });
  return lines;
}

/** Channel numbers of "1-15,17-31" (dahdi_cfg's apply_channels), [] when it does not parse. */
export function channelList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part.split(':')[0] ?? '');
    if (!m) return [];
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to && c - from < 1024; c += 1) out.push(c);
  }
  return out;
}

export function channelsOfLine(entry: ConfLine): number[] {
  if (!CHANNEL_LIST_KEYS.has(entry.key)) return [];
  if (entry.key === 'echocanceller') return channelList(entry.value.split(',').slice(1).join(','));
  return channelList(entry.value);
}

export interface SpanBlock {
  span: number;
  /** The span= line and the digital channel lines dahdi_cfg attributes to it. */
  lines: ConfLine[];
  channels: number[];
}

export interface SystemConfShape {
  spans: SpanBlock[];
  /** dynamic=driver,address,... as the span names DAHDI gives them (DYN/loc/1:0). */
  dynamicNames: string[];
  /** Channels configured outside any span= block (analog ports, E&M). */
  looseChannels: number[];
  /** Every line that is not part of a span block, in order: zones, echo cancellers, analog. */
  globalLines: ConfLine[];
}

export function systemConfShape(text: string): SystemConfShape {
  const spans: SpanBlock[] = [];
  const dynamicNames: string[] = [];
  const looseChannels: number[] = [];
  const globalLines: ConfLine[] = [];
  let current: SpanBlock | null = null;
  for (const entry of parseSystemConf(text)) {
    if (entry.key === 'span') {
      current = { span: Number.parseInt(entry.value, 10), lines: [entry], channels: [] };
      spans.push(current);
      continue;
    }
    if (entry.key === 'dynamic') {
      const [driver, address] = entry.value.split(',').map((part) => part.trim());
      dynamicNames.push(`DYN/${driver ?? ''}/${address ?? ''}`);
    }
    if (DIGITAL_KEYS.has(entry.key) && current) {
      current.lines.push(entry);
      current.channels.push(...channelsOfLine(entry));
      continue;
    }
    if (ANALOG_KEYS.has(entry.key)) {
      current = null;
      looseChannels.push(...channelsOfLine(entry));
    } else if (DIGITAL_KEYS.has(entry.key)) {
      looseChannels.push(...channelsOfLine(entry));
    }
    globalLines.push(entry);
  }
  return { spans, dynamicNames, looseChannels, globalLines };
}

/** The last line that configures `channel` with a signalling keyword (dahdi_cfg's slineno). */
export function lineOfChannel(lines: readonly ConfLine[], channel: number, keys?: ReadonlySet<string>): ConfLine | undefined {
  return [...lines].reverse().find((entry) => (keys ? keys.has(entry.key) : entry.key !== 'echocanceller') && channelsOfLine(entry).includes(channel));
}

export const SIGNALLING_KEYS: ReadonlySet<string> = new Set([...DIGITAL_KEYS, ...ANALOG_KEYS]);
