/**
 * The recorded stream the source server plays: an Annex B H.264 file,
 * packetized once (RFC 6184 FU-A, MTU 1400) into one buffer of RTSP
 * interleaved frames (`$`, channel 0, length, RTP packet; RFC 2326 §10.12),
 * so serving it costs the server nothing but socket writes. Sequence numbers
 * and timestamps are rewritten in place for each loop so they run on.
 */
import { readFileSync } from 'node:fs';
import { loadDist } from '../lib/dist.js';

import type * as AnnexB from '../../src/codecs/annexb.js';
import type * as H264Packetizer from '../../src/packetizers/h264.js';
import type * as RtpPacket from '../../src/rtp/packet.js';
import type * as Serialize from '../../src/rtsp/serialize.js';

const { splitAnnexB } = await loadDist<typeof AnnexB>('codecs/annexb.js');
const { packetizeH264 } = await loadDist<typeof H264Packetizer>('packetizers/h264.js');
const { writeRtpHeader, RTP_HEADER_BYTES } = await loadDist<typeof RtpPacket>('rtp/packet.js');
const { interleavedHeader } = await loadDist<typeof Serialize>('rtsp/serialize.js');

const MTU = 1400;
const CLOCK_RATE = 90_000;
const NAL_SPS = 7;
const NAL_PPS = 8;
const NAL_AUD = 9;
const INTERLEAVED_HEADER_BYTES = 4;

export interface Recording {
  /** Interleaved frames of one loop. */
  bytes: Uint8Array;
  /** Offset of each RTP header in `bytes`. */
  packetOffsets: Uint32Array;
  /** Frame index of each packet (its timestamp is frame × ticksPerFrame). */
  packetFrames: Uint32Array;
  /** End offset in `bytes` of each frame's last packet. */
  frameEnds: Uint32Array;
  fps: number;
  ticksPerFrame: number;
  /** For the SDP: sprop-parameter-sets and profile-level-id (RFC 6184 §8.1). */
  sps: Uint8Array;
  pps: Uint8Array;
}

/** Splits the file into access units at its AUD NAL units (ffmpeg's h264_metadata=aud=insert). */
function accessUnits(file: string): { units: Uint8Array[][]; sps: Uint8Array; pps: Uint8Array } {
  const units: Uint8Array[][] = [];
  let sps: Uint8Array | undefined;
  let pps: Uint8Array | undefined;
  for (const nal of splitAnnexB(readFileSync(file))) {
    const type = nal[0]! & 0x1f;
    if (type === NAL_AUD) {
      units.push([]);
      continue;
    }
    if (type === NAL_SPS) sps ??= nal;
    if (type === NAL_PPS) pps ??= nal;
    if (units.length === 0) units.push([]);
    units[units.length - 1]!.push(nal);
  }
  if (sps === undefined || pps === undefined) throw new Error(`${file}: no SPS/PPS`);
  return { units: units.filter((u) => u.length > 0), sps, pps };
}

export function loadRecording(file: string, fps: number): Recording {
  const { units, sps, pps } = accessUnits(file);
  const payloads = units.map((nalUnits) => packetizeH264(nalUnits, MTU));
  let size = 0;
  let packets = 0;
  for (const frame of payloads) {
    for (const { payload } of frame)
      size += INTERLEAVED_HEADER_BYTES + RTP_HEADER_BYTES + payload.length;
    packets += frame.length;
  }
  const bytes = new Uint8Array(size);
  const packetOffsets = new Uint32Array(packets);
  const packetFrames = new Uint32Array(packets);
  const frameEnds = new Uint32Array(payloads.length);
  let offset = 0;
  let packet = 0;
  payloads.forEach((frame, frameIndex) => {
    for (const { payload, marker } of frame) {
      bytes.set(interleavedHeader(0, RTP_HEADER_BYTES + payload.length), offset);
      offset += INTERLEAVED_HEADER_BYTES;
      packetOffsets[packet] = offset;
      packetFrames[packet] = frameIndex;
      // Sequence number and timestamp are stamped per loop by stampLoop().
      writeRtpHeader(bytes, offset, {
        marker,
        payloadType: 96,
        sequenceNumber: 0,
        timestamp: 0,
        ssrc: 0x5eed5eed,
      });
      bytes.set(payload, offset + RTP_HEADER_BYTES);
      offset += RTP_HEADER_BYTES + payload.length;
      packet++;
    }
    frameEnds[frameIndex] = offset;
  });
  return {
    bytes,
    packetOffsets,
    packetFrames,
    frameEnds,
    fps,
    ticksPerFrame: CLOCK_RATE / fps,
    sps,
    pps,
  };
}

/** Writes loop `loop`'s sequence numbers and timestamps into `target` (a copy of `recording.bytes`). */
export function stampLoop(
  recording: Recording,
  target: Uint8Array,
  loop: number,
  seqBase: number,
  tsBase: number,
): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  const { packetOffsets, packetFrames, frameEnds, ticksPerFrame } = recording;
  const firstSeq = seqBase + loop * packetOffsets.length;
  const firstTs = tsBase + loop * frameEnds.length * ticksPerFrame;
  for (let i = 0; i < packetOffsets.length; i++) {
    const at = packetOffsets[i]!;
    view.setUint16(at + 2, (firstSeq + i) % 0x10000);
    view.setUint32(at + 4, (firstTs + packetFrames[i]! * ticksPerFrame) % 0x1_0000_0000);
  }
}
