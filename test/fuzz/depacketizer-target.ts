/**
 * The one driver behind every depacketizer target: the input's control byte
 * picks the track variant and options, then its packet sequence is pushed as
 * the session would (pull until empty after each push), checking the
 * Depacketizer contract: push/pull never throw, frames respect the caps and
 * their format, and the stats only ever grow.
 */
import { createDepacketizer } from '../../src/depacketizers/registry.js';
import type {
  DepacketizedFrame,
  Depacketizer,
  DepacketizerOptions,
  DepacketizerStats,
  MediaPacket,
} from '../../src/depacketizers/depacketizer.js';
import type { Track } from '../../src/sdp/track.js';
import { decodePackets } from './packet-sequence.js';
import { bucket, invariant, messageShape, type FuzzTarget } from './target.js';

/** Control byte: bit 0 waitForKeyframe, bit 1 the small frame cap, bits 2–4 the track variant. */
export const WAIT_FOR_KEYFRAME = 0x01;
export const SMALL_FRAME_CAP = 0x02;
export const VARIANT_SHIFT = 2;
/** Small enough that mutated inputs reach the cap path; the default cap is 8 MiB. */
const SMALL_MAX_FRAME_BYTES = 16 * 1024;

/** Packet flags: bit 0 marker, bits 1–2 loss before, bit 3 reset() first, bits 4–7 timestamp step. */
export const MARKER = 0x01;
const LOSS_SHIFT = 1;
const LOSSES = [0, 1, 2, 1000] as const;
export const RESET_BEFORE = 0x08;
export const STEP_SHIFT = 4;
/** Unwrapped timestamps only grow (MediaPacket contract); steps of real clocks and jumps. */
export const TIMESTAMP_STEPS = [
  0,
  0,
  0,
  0,
  1,
  160,
  1024,
  1024,
  3000,
  3000,
  3600,
  6000,
  45000,
  90000,
  2 ** 31,
  2 ** 32 + 7,
] as const;
const FIRST_TIMESTAMP = 1_000_000;
const FIRST_RECEIVED_AT = 1_700_000_000_000;

export interface DepacketizerTargetSpec {
  name: string;
  /** Tracks as an SDP would give them; the control byte picks one (modulo their count). */
  variants: readonly Track[];
  /** Defaults to the registry, as the session does. */
  create?: (track: Track, options: DepacketizerOptions) => Depacketizer;
  /** A small number naming the packet's payload format (NAL type, JPEG type), for features. */
  packetKind(payload: Uint8Array): number;
  /** Most bytes held for an incomplete frame (`bufferedBytes`); default the frame cap. */
  maxHeldBytes?: number;
  /** Codec-specific promises about one frame (the generic ones are checked here). */
  checkFrame(frame: DepacketizedFrame): void;
  dictionary?: readonly (string | Uint8Array)[];
}

export function depacketizerTarget(spec: DepacketizerTargetSpec): FuzzTarget {
  return {
    name: spec.name,
    inputFormat:
      'byte 0: bit0 waitForKeyframe, bit1 maxFrameBytes=16KiB, bits2-4 track variant; then packets: u16 length, flags (bit0 marker, bits1-2 loss 0/1/2/1000, bit3 reset first, bits4-7 timestamp step), payload',
    maxInputBytes: 64 * 1024,
    controlBytes: 1,
    dictionary: spec.dictionary ?? [],
    execute: (input) => runPackets(spec, input),
  };
}

function runPackets(spec: DepacketizerTargetSpec, input: Uint8Array): string[] {
  const control = input[0] ?? 0;
  const track = spec.variants[(control >> VARIANT_SHIFT) % spec.variants.length]!; // variants non-empty
  const maxFrameBytes = (control & SMALL_FRAME_CAP) !== 0 ? SMALL_MAX_FRAME_BYTES : undefined;
  const options: DepacketizerOptions = {
    waitForKeyframe: (control & WAIT_FOR_KEYFRAME) !== 0,
    ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }),
  };
  const features = [`control:${control & 0x1f}`];
  let depacketizer: Depacketizer;
  if (spec.create === undefined) {
    const created = createDepacketizer(track, options);
    if (!created.ok) return [...features, `unsupported:${messageShape(created.reason)}`];
    depacketizer = created.depacketizer;
  } else {
    depacketizer = spec.create(track, options);
  }
  const cap = maxFrameBytes ?? 8 * 1024 * 1024;
  const heldBound = spec.maxHeldBytes ?? cap;
  let previous = snapshot(depacketizer.stats);
  let frames = 0;
  let timestamp = FIRST_TIMESTAMP;
  let sequenceNumber = 0;
  let receivedAt = FIRST_RECEIVED_AT;
  for (const { flags, payload } of decodePackets(input, 1)) {
    if ((flags & RESET_BEFORE) !== 0) depacketizer.reset();
    const lost = LOSSES[(flags >> LOSS_SHIFT) & 3]!;
    sequenceNumber = (sequenceNumber + 1 + lost) & 0xffff;
    timestamp += TIMESTAMP_STEPS[flags >> STEP_SHIFT]!;
    receivedAt += 10;
    const packet: MediaPacket = {
      sequenceNumber,
      timestamp,
      marker: (flags & MARKER) !== 0,
      payload,
      receivedAt,
      lost,
    };
    depacketizer.push(packet);
    invariant(
      depacketizer.bufferedBytes <= heldBound,
      () => `${depacketizer.bufferedBytes} bytes held, frame cap ${heldBound}`,
    );
    let pulled = 0;
    for (let frame = depacketizer.pull(); frame !== undefined; frame = depacketizer.pull()) {
      checkFrame(depacketizer, frame, cap, timestamp);
      spec.checkFrame(frame);
      pulled++;
      if (frame.kind === 'video')
        features.push(
          `frame:${frame.keyframe}:${frame.discontinuity}:${bucket(frame.data.length)}`,
        );
      else
        features.push(
          `frame:${frame.discontinuity}:${bucket(frame.sampleCount)}:${bucket(frame.data.length)}`,
        );
    }
    frames += pulled;
    const stats = snapshot(depacketizer.stats);
    const grew = checkStats(previous, stats, frames);
    previous = stats;
    features.push(`packet:${spec.packetKind(payload)}:${flags & 0x0f}:${grew}:${bucket(pulled)}`);
  }
  features.push(`stats:${previous.map(bucket).join(',')}`);
  return features;
}

function snapshot(stats: Readonly<DepacketizerStats>): number[] {
  return [stats.frames, stats.framesDroppedLoss, stats.framesDroppedCap, stats.packetsInvalid];
}

/** Stats are counters: integers that never go down; `frames` counts what pull() returned. Returns which grew. */
function checkStats(before: readonly number[], after: readonly number[], pulled: number): number {
  let grew = 0;
  for (let i = 0; i < after.length; i++) {
    const value = after[i]!;
    invariant(
      Number.isSafeInteger(value) && value >= before[i]!,
      () => `stats[${i}] went from ${before[i]} to ${value}`,
    );
    if (value > before[i]!) grew |= 1 << i;
  }
  invariant(
    after[0] === pulled,
    () => `stats.frames is ${after[0]} after ${pulled} frames were pulled`,
  );
  return grew;
}

function checkFrame(
  depacketizer: Depacketizer,
  frame: DepacketizedFrame,
  cap: number,
  lastTimestamp: number,
): void {
  invariant(
    frame.codec === depacketizer.codec,
    () => `frame codec ${frame.codec} from a ${depacketizer.codec} depacketizer`,
  );
  invariant(frame.data.length > 0, () => 'empty frame');
  invariant(
    Number.isFinite(frame.timestamp) &&
      frame.timestamp >= 0 &&
      frame.timestamp <= lastTimestamp + 2 ** 32,
    () => `frame timestamp ${frame.timestamp} (last packet's ${lastTimestamp})`,
  );
  if (frame.kind === 'video') {
    invariant(
      frame.data.length <= cap,
      () => `video frame of ${frame.data.length} bytes exceeds maxFrameBytes ${cap}`,
    );
    for (const [name, value] of [
      ['width', frame.width],
      ['height', frame.height],
    ] as const) {
      invariant(
        value === undefined || (Number.isInteger(value) && value > 0 && value <= 65536),
        () => `frame ${name} ${value}`,
      );
    }
  } else {
    invariant(
      Number.isInteger(frame.sampleRate) && frame.sampleRate > 0,
      () => `sampleRate ${frame.sampleRate}`,
    );
    invariant(
      Number.isInteger(frame.channels) && frame.channels > 0,
      () => `channels ${frame.channels}`,
    );
    invariant(
      Number.isInteger(frame.sampleCount) && frame.sampleCount > 0,
      () => `sampleCount ${frame.sampleCount}`,
    );
  }
}
