// The audio files the stand-in writes for finished recordings, as pure functions of the samples:
// what Asterisk's format modules write for the formats ARI recordings take - wav (format_wav:
// 8 kHz 16-bit mono PCM behind a 44-byte RIFF header), sln (raw 16-bit little-endian), ulaw and
// alaw (G.711, one byte a sample), gsm (33-byte GSM 06.10 frames of 160 samples). The sound is a
// quiet 425 Hz tone standing for the far end's voice (silence where the recording was muted),
// so a player, `file(1)` or a duration check accepts the file.

export const RECORDING_FORMATS = ['wav', 'gsm', 'ulaw', 'alaw', 'sln'] as const;
export type RecordingFormat = (typeof RECORDING_FORMATS)[number];

export function isRecordingFormat(format: string): format is RecordingFormat {
  return (RECORDING_FORMATS as readonly string[]).includes(format);
}

export const SAMPLE_RATE = 8000;
const TONE_HZ = 425;
/** About -30 dBFS: audible, not loud. */
const TONE_AMPLITUDE = 1000;
const WAV_HEADER_BYTES = 44;
const GSM_FRAME_SAMPLES = 160;
/** format_gsm.c's gsm_silence: one 20 ms frame of silence. */
const GSM_SILENCE = Buffer.from([
  0xd8, 0x20, 0xa2, 0xe1, 0x5a, 0x50, 0x00, 0x49, 0x24, 0x92, 0x49, 0x24, 0x50, 0x00, 0x49, 0x24, 0x92,
  0x49, 0x24, 0x50, 0x00, 0x49, 0x24, 0x92, 0x49, 0x24, 0x50, 0x00, 0x49, 0x24, 0x92, 0x49, 0x24,
]);

/** A stretch of recorded time, in samples from the start of the recording, that is silent. */
export interface Span {
  from: number;
  to: number;
}

/** `count` samples of the tone, silent inside `muted`. */
export function recordedSamples(count: number, muted: readonly Span[] = []): Int16Array {
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    if (muted.some((m) => i >= m.from && i < m.to)) continue;
    out[i] = Math.round(TONE_AMPLITUDE * Math.sin((2 * Math.PI * TONE_HZ * i) / SAMPLE_RATE));
  }
  return out;
}

/** The file bytes of `samples` in `format`. */
export function encodeAudio(format: RecordingFormat, samples: Int16Array): Buffer {
  switch (format) {
    case 'wav': return Buffer.concat([wavHeader(samples.length * 2), pcm16(samples)]);
    case 'sln': return pcm16(samples);
    case 'ulaw': return Buffer.from(Array.from(samples, linearToUlaw));
    case 'alaw': return Buffer.from(Array.from(samples, linearToAlaw));
    // The tone is not GSM-coded: the frames are silence, their count is the duration's.
    case 'gsm': return Buffer.concat(Array.from({ length: Math.ceil(samples.length / GSM_FRAME_SAMPLES) }, () => GSM_SILENCE));
  }
}

/** ifExists=append: `existing` (a file of this format) followed by `samples`. */
export function appendAudio(format: RecordingFormat, existing: Buffer, samples: Int16Array): Buffer {
  if (format !== 'wav') return Buffer.concat([existing, encodeAudio(format, samples)]);
  const data = Buffer.concat([existing.subarray(WAV_HEADER_BYTES), pcm16(samples)]);
  return Buffer.concat([wavHeader(data.length), data]);
}

/** The canonical 44-byte header format_wav writes: PCM, mono, 8000 Hz, 16 bits. */
function wavHeader(dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

function pcm16(samples: Int16Array): Buffer {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
}

/** G.711 mu-law of a 16-bit sample (the classic Sun g711.c algorithm; 0 -> 0xFF). */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; exponent--) mask >>= 1;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = sign | (exponent << 4) | mantissa;
  return ~magnitude & 0xff;
}

const ALAW_SEGMENT_ENDS = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** G.711 A-law of a 16-bit sample (Sun g711.c's linear2alaw; 0 -> 0xD5). */
export function linearToAlaw(sample: number): number {
  let pcm = sample >> 3;
  let mask = 0xd5;
  if (pcm < 0) {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const seg = ALAW_SEGMENT_ENDS.findIndex((end) => pcm <= end);
  if (seg < 0) return 0x7f ^ mask;
  const quantized = seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f;
  return ((seg << 4) | quantized) ^ mask;
}
