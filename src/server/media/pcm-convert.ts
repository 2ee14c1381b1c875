/**
 * Brings 16-bit PCM to what G.711 carries: one channel at 8 kHz
 * (RFC 3551 §4.5.14: PCMA/PCMU are 8000 Hz). Channels are averaged; the rate
 * is reduced by averaging each output sample's input span (a box filter that
 * stops the worst aliasing of plain decimation) and raised by linear
 * interpolation.
 */
export const g711SampleRate = 8000;

/** Little-endian interleaved 16-bit samples → one channel (average of all channels). */
export function downmixPcm16(data: Uint8Array, channels: number): Int16Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const frames = Math.floor(data.byteLength / (2 * channels));
  const mono = new Int16Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += view.getInt16((frame * channels + c) * 2, true);
    mono[frame] = Math.round(sum / channels);
  }
  return mono;
}

/** Resamples one channel from `fromRate` to `toRate`. */
export function resample(mono: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return mono;
  const outLength = Math.floor((mono.length * toRate) / fromRate);
  const out = new Int16Array(outLength);
  const step = fromRate / toRate;
  if (step > 1) {
    for (let i = 0; i < outLength; i++) {
      const start = Math.floor(i * step);
      const end = Math.min(mono.length, Math.max(start + 1, Math.floor((i + 1) * step)));
      let sum = 0;
      for (let j = start; j < end; j++) sum += mono[j]!;
      out[i] = Math.round(sum / (end - start));
    }
  } else {
    for (let i = 0; i < outLength; i++) {
      const position = i * step;
      const left = Math.floor(position);
      const a = mono[left] ?? 0;
      const b = mono[left + 1] ?? a;
      out[i] = Math.round(a + (b - a) * (position - left));
    }
  }
  return out;
}
