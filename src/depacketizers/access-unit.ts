/**
 * Access-unit assembly shared by the H.264 (RFC 6184) and H.265 (RFC 7798)
 * depacketizers. The codec files turn RTP payloads into NAL units or fragments
 * of them; this file decides where an access unit ends, enforces the caps,
 * inserts parameter sets before keyframes, and writes the Annex B frame with one
 * allocation: it keeps views of the packet payloads until the frame is complete,
 * so a payload must not be modified after it was pushed.
 */
import { START_CODE_LENGTH, writeStartCode } from '../codecs/annexb.js';
import type {
  DepacketizedVideoFrame,
  DepacketizerOptions,
  DepacketizerStats,
  MediaPacket,
} from './depacketizer.js';
import { FrameOutput, resolveMaxFrameBytes } from './frame-output.js';

export { DEFAULT_MAX_FRAME_BYTES } from './frame-output.js';

/** Bits of `NalSyntax.flags`. */
export const NAL_VCL = 1;
export const NAL_KEYFRAME = 2;

/** What differs between H.264 and H.265 NAL units, as far as assembly is concerned. */
export interface NalSyntax {
  readonly codec: 'h264' | 'h265';
  /** Bytes of the NAL unit header: 1 (H.264 §7.3.1) or 2 (H.265 §7.3.1.2). */
  readonly headerLength: 1 | 2;
  /** nal_unit_type from the first header byte. */
  typeOf(firstByte: number): number;
  /** Indexed by nal_unit_type (0–63): NAL_VCL | NAL_KEYFRAME. */
  readonly flags: Uint8Array;
  /** Indexed by nal_unit_type: parameter-set slot in decoding order (VPS, SPS, PPS), else -1. */
  readonly parameterSetSlot: Int8Array;
  readonly slotCount: number;
  readonly spsSlot: number;
  readonly accessUnitDelimiterType: number;
  dimensionsOf(sps: Uint8Array): { width: number; height: number } | undefined;
}

/** NAL units one access unit may hold; real encoders use a few slices plus SEI. */
export const MAX_NAL_UNITS_PER_ACCESS_UNIT = 64;
/**
 * Payload views kept per access unit, per byte of `maxFrameBytes`: real
 * fragments carry about a kilobyte, so only a peer sending tiny fragments to
 * make us hold millions of views reaches this.
 */
const MIN_AVERAGE_PIECE_BYTES = 256;
/** Real SPS/PPS/VPS are a few hundred bytes; a larger one is not kept for re-insertion. */
const MAX_PARAMETER_SET_BYTES = 16 * 1024;
const AGGREGATION_SIZE_BYTES = 2;

/** `pieceLeads` value of a piece that continues the previous NAL unit (an FU fragment). */
const CONTINUES_NAL = -1;
/** `pieceLeads` value of a piece that is a whole NAL unit, header included. */
const WHOLE_NAL = 0;
// Any other lead is 1 + the 8/16-bit header rebuilt from a fragmentation or DONL packet.

type FragmentState = 'none' | 'open' | 'skipping';

/**
 * Collects one access unit at a time. With `waitForKeyframe`, frames skipped
 * while waiting (at the start and after loss) count in `framesDroppedLoss`:
 * the data they depend on never arrived.
 */
export class AccessUnitAssembler {
  private readonly output = new FrameOutput<DepacketizedVideoFrame>();
  readonly stats: DepacketizerStats = this.output.stats;

  private readonly maxFrameBytes: number;
  private readonly maxPieces: number;
  private readonly waitForKeyframe: boolean;

  // The access unit being collected.
  private readonly pieces: Uint8Array[] = [];
  private readonly pieceLeads: number[] = [];
  private nalCount = 0;
  private byteCount = 0;
  private nalFlags = 0;
  private parameterSetsPresent = 0;
  /** The rest of this access unit is ignored: it lost packets or exceeded a cap. */
  private discarding = false;
  private fragment: FragmentState = 'none';
  private started = false;
  private timestamp = 0;
  private receivedAt = 0;

  private waitingForKeyframe: boolean;
  /** Latest parameter sets by slot: out-of-band first, replaced by in-band ones. */
  private readonly parameterSets: Uint8Array[][];
  private width: number | undefined;
  private height: number | undefined;
  /** (slot, start, end) triples of parameter sets written into the current frame. */
  private readonly inBandRecords: number[] = [];

  constructor(
    private readonly syntax: NalSyntax,
    outOfBandParameterSets: readonly Uint8Array[],
    options: DepacketizerOptions = {},
  ) {
    this.maxFrameBytes = resolveMaxFrameBytes(options);
    this.maxPieces = Math.max(1024, Math.ceil(this.maxFrameBytes / MIN_AVERAGE_PIECE_BYTES));
    this.waitForKeyframe = options.waitForKeyframe ?? false;
    // A decoder cannot start before a keyframe either, so the wait also covers the start.
    this.waitingForKeyframe = this.waitForKeyframe;
    this.parameterSets = Array.from({ length: syntax.slotCount }, () => []);
    this.adoptOutOfBand(outOfBandParameterSets);
  }

  /** Bytes of the access unit being collected (views of payloads), at most maxFrameBytes. */
  get bufferedBytes(): number {
    return this.byteCount;
  }

  /** Call first for every packet: ends the access unit on loss or a new timestamp. */
  beginPacket(packet: MediaPacket): void {
    if (packet.lost > 0) {
      const partial = this.nalCount > 0 || this.fragment === 'open';
      if (partial) this.stats.framesDroppedLoss++;
      const sameAccessUnit = this.started && packet.timestamp === this.timestamp;
      const wasDiscarding = this.discarding;
      this.clear();
      // What is left of an access unit that lost packets is of no use either.
      this.discarding = (partial || wasDiscarding) && sameAccessUnit;
      // Continuation fragments of an FU whose start was lost are expected; skip them quietly.
      this.fragment = 'skipping';
      this.markDiscontinuity();
    } else if (this.started && packet.timestamp !== this.timestamp) {
      // Cameras that never set the marker: the next access unit's first packet ends this one.
      // NAL units without a picture (SPS/PPS/SEI sent with another timestamp) move on to it.
      if ((this.nalFlags & NAL_VCL) !== 0 || this.discarding || this.fragment === 'open') {
        this.finish();
      }
    }
    this.started = true;
    this.timestamp = packet.timestamp;
    this.receivedAt = packet.receivedAt;
  }

  /** Call last for every packet: the marker ends an access unit that has a picture (RFC 6184 §5.1). */
  endPacket(marker: boolean): void {
    if (marker && ((this.nalFlags & NAL_VCL) !== 0 || this.discarding)) this.finish();
  }

  /** A whole NAL unit, header included (single NAL unit packet or aggregation unit). */
  addNal(nal: Uint8Array): void {
    if (nal.length < this.syntax.headerLength) {
      this.stats.packetsInvalid++;
      return;
    }
    this.abandonOpenFragment();
    this.fragment = 'none';
    if (this.discarding) return;
    this.noteType(this.syntax.typeOf(nal[0]!));
    if (this.reserve(true, nal.length)) this.pushPiece(nal, WHOLE_NAL);
  }

  /**
   * The start of a NAL unit whose header was rebuilt (FU, or a DONL packet):
   * `body` follows the header. `complete` closes it at once (S and E both set).
   */
  startNal(header: number, body: Uint8Array, complete: boolean): void {
    this.abandonOpenFragment();
    this.fragment = complete ? 'none' : 'open';
    if (this.discarding) {
      if (!complete) this.fragment = 'skipping';
      return;
    }
    const firstByte = this.syntax.headerLength === 2 ? header >> 8 : header;
    this.noteType(this.syntax.typeOf(firstByte));
    if (this.reserve(true, this.syntax.headerLength + body.length)) {
      this.pushPiece(body, 1 + header);
    }
  }

  /**
   * The NAL units of an aggregation packet (STAP-A, RFC 6184 §5.7.1; AP, RFC 7798
   * §4.4.2) from `offset`: each after a 16-bit size, units separated by
   * `bytesBetweenUnits` (H.265's DOND). A truncated unit makes the packet invalid.
   */
  addAggregationUnits(payload: Uint8Array, offset: number, bytesBetweenUnits: number): void {
    let units = 0;
    while (offset + AGGREGATION_SIZE_BYTES <= payload.length) {
      const size = (payload[offset]! << 8) | payload[offset + 1]!;
      const start = offset + AGGREGATION_SIZE_BYTES;
      if (size === 0 || start + size > payload.length) break;
      this.addNal(payload.subarray(start, start + size));
      units++;
      offset = start + size;
      if (offset < payload.length) offset += bytesBetweenUnits;
    }
    if (units === 0 || offset !== payload.length) this.stats.packetsInvalid++;
  }

  /** A middle or end fragment; `complete` when the E bit is set. */
  continueNal(body: Uint8Array, complete: boolean): void {
    if (this.fragment !== 'open') {
      if (this.fragment === 'none') this.stats.packetsInvalid++;
      if (complete && this.fragment === 'skipping') this.fragment = 'none';
      return;
    }
    if (complete) this.fragment = 'none';
    if (body.length > 0 && this.reserve(false, body.length)) {
      this.pushPiece(body, CONTINUES_NAL);
    }
  }

  /** A packet of an unsupported or malformed packetization: counted, skipped. */
  invalidPacket(): void {
    this.stats.packetsInvalid++;
  }

  pull(): DepacketizedVideoFrame | undefined {
    return this.output.pull();
  }

  /** Forgets the partial access unit and the frames not yet pulled; the next frame is a discontinuity. */
  reset(): void {
    this.output.reset();
    this.clear();
    this.fragment = 'skipping';
    this.started = false;
    this.markDiscontinuity();
  }

  private noteType(type: number): void {
    this.nalFlags |= this.syntax.flags[type] ?? 0;
    const slot = this.syntax.parameterSetSlot[type] ?? -1;
    if (slot >= 0) this.parameterSetsPresent |= 1 << slot;
  }

  /** Whether the caps leave room for `bytes` more; if not, the access unit is dropped. */
  private reserve(startsNal: boolean, bytes: number): boolean {
    const nalCount = this.nalCount + (startsNal ? 1 : 0);
    const byteCount = this.byteCount + bytes + (startsNal ? START_CODE_LENGTH : 0);
    if (
      nalCount > MAX_NAL_UNITS_PER_ACCESS_UNIT ||
      byteCount > this.maxFrameBytes ||
      this.pieces.length >= this.maxPieces
    ) {
      this.stats.framesDroppedCap++;
      this.clear();
      // Stop buffering at once.
      this.discarding = true;
      if (this.fragment === 'open') this.fragment = 'skipping';
      this.markDiscontinuity();
      return false;
    }
    this.nalCount = nalCount;
    this.byteCount = byteCount;
    return true;
  }

  private pushPiece(piece: Uint8Array, lead: number): void {
    this.pieces.push(piece);
    this.pieceLeads.push(lead);
  }

  /** A new NAL unit while a fragmented one is unfinished: the access unit lost data. */
  private abandonOpenFragment(): void {
    if (this.fragment !== 'open') return;
    this.stats.framesDroppedLoss++;
    this.clear();
    this.discarding = true;
    this.markDiscontinuity();
  }

  private markDiscontinuity(): void {
    this.output.discontinuity = true;
    if (this.waitForKeyframe) this.waitingForKeyframe = true;
  }

  private clear(): void {
    this.pieces.length = 0;
    this.pieceLeads.length = 0;
    this.nalCount = 0;
    this.byteCount = 0;
    this.nalFlags = 0;
    this.parameterSetsPresent = 0;
    this.discarding = false;
  }

  private finish(): void {
    if (this.discarding || this.nalCount === 0) {
      this.clear();
      return;
    }
    if (this.fragment === 'open') {
      // Its last fragment never came (no E bit before the marker or a new timestamp).
      this.stats.framesDroppedLoss++;
      this.clear();
      this.fragment = 'skipping';
      this.markDiscontinuity();
      return;
    }
    const keyframe = (this.nalFlags & NAL_KEYFRAME) !== 0;
    if (this.waitingForKeyframe && !keyframe) {
      this.stats.framesDroppedLoss++;
      this.clear();
      return;
    }
    const missingSlots = keyframe ? this.missingParameterSetSlots() : 0;
    let size = this.byteCount;
    for (let slot = 0; slot < this.syntax.slotCount; slot++) {
      if ((missingSlots & (1 << slot)) === 0) continue;
      for (const nal of this.parameterSets[slot]!) size += START_CODE_LENGTH + nal.length;
    }
    if (size > this.maxFrameBytes) {
      this.stats.framesDroppedCap++;
      this.clear();
      this.markDiscontinuity();
      return;
    }
    const data = this.write(size, missingSlots);
    if (this.inBandRecords.length > 0) this.adoptInBand(data);
    this.waitingForKeyframe = false;
    this.output.add({
      kind: 'video',
      codec: this.syntax.codec,
      data,
      timestamp: this.timestamp,
      keyframe,
      width: this.width,
      height: this.height,
      discontinuity: this.output.takeDiscontinuity(),
      receivedAt: this.receivedAt,
    });
    this.clear();
  }

  /** Slots with known parameter sets that this keyframe does not carry itself. */
  private missingParameterSetSlots(): number {
    let missing = 0;
    for (let slot = 0; slot < this.syntax.slotCount; slot++) {
      const absent = (this.parameterSetsPresent & (1 << slot)) === 0;
      if (absent && this.parameterSets[slot]!.length > 0) missing |= 1 << slot;
    }
    return missing;
  }

  /**
   * Copies the pieces into one buffer. Missing parameter sets go before the
   * first NAL unit that is neither an access unit delimiter nor a parameter set,
   * the order of H.264 §7.4.1.2.3 / H.265 §7.4.2.4.4.
   */
  private write(size: number, missingSlots: number): Uint8Array {
    const { syntax, pieces, pieceLeads, inBandRecords } = this;
    const out = new Uint8Array(size);
    let offset = 0;
    let insertPending = missingSlots !== 0;
    let recordOpen = false;
    inBandRecords.length = 0;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const lead = pieceLeads[i]!;
      if (lead !== CONTINUES_NAL) {
        if (recordOpen) inBandRecords.push(offset);
        const header = lead - 1;
        const firstByte =
          lead === WHOLE_NAL ? piece[0]! : syntax.headerLength === 2 ? header >> 8 : header;
        const type = syntax.typeOf(firstByte);
        const slot = syntax.parameterSetSlot[type] ?? -1;
        if (insertPending && slot < 0 && type !== syntax.accessUnitDelimiterType) {
          offset = this.writeParameterSets(out, offset, missingSlots);
          insertPending = false;
        }
        offset = writeStartCode(out, offset);
        recordOpen = slot >= 0;
        if (recordOpen) inBandRecords.push(slot, offset);
        if (lead !== WHOLE_NAL) {
          if (syntax.headerLength === 2) out[offset++] = header >> 8;
          out[offset++] = header & 0xff;
        }
      }
      out.set(piece, offset);
      offset += piece.length;
    }
    if (recordOpen) inBandRecords.push(offset);
    return out;
  }

  private writeParameterSets(out: Uint8Array, offset: number, slots: number): number {
    for (let slot = 0; slot < this.syntax.slotCount; slot++) {
      if ((slots & (1 << slot)) === 0) continue;
      for (const nal of this.parameterSets[slot]!) {
        offset = writeStartCode(out, offset);
        out.set(nal, offset);
        offset += nal.length;
      }
    }
    return offset;
  }

  /** In-band parameter sets replace earlier ones of their kind (copied: `frame` is the user's). */
  private adoptInBand(frame: Uint8Array): void {
    const records = this.inBandRecords;
    const fresh: (Uint8Array[] | undefined)[] = [];
    for (let i = 0; i + 2 < records.length; i += 3) {
      const slot = records[i]!;
      const nal = frame.subarray(records[i + 1], records[i + 2]);
      if (nal.length > MAX_PARAMETER_SET_BYTES) continue;
      (fresh[slot] ??= []).push(nal);
    }
    fresh.forEach((sets, slot) => {
      if (sets === undefined || sameNalUnits(sets, this.parameterSets[slot]!)) return;
      this.parameterSets[slot] = sets.map((nal) => nal.slice());
      if (slot === this.syntax.spsSlot) this.updateDimensions();
    });
  }

  /**
   * sprop parameter sets are used only when their SPS decodes; otherwise the
   * stream's own (in-band) ones are waited for, as if there were no sprop.
   */
  private adoptOutOfBand(nalUnits: readonly Uint8Array[]): void {
    const sets: Uint8Array[][] = Array.from({ length: this.syntax.slotCount }, () => []);
    for (const nal of nalUnits) {
      if (nal.length < this.syntax.headerLength) return;
      const slot = this.syntax.parameterSetSlot[this.syntax.typeOf(nal[0]!)] ?? -1;
      if (slot >= 0 && nal.length <= MAX_PARAMETER_SET_BYTES) sets[slot]!.push(nal);
    }
    const sps = sets[this.syntax.spsSlot]![0];
    if (sps === undefined || this.syntax.dimensionsOf(sps) === undefined) return;
    sets.forEach((nals, slot) => (this.parameterSets[slot] = nals));
    this.updateDimensions();
  }

  private updateDimensions(): void {
    const sps = this.parameterSets[this.syntax.spsSlot]![0];
    const dimensions = sps === undefined ? undefined : this.syntax.dimensionsOf(sps);
    this.width = dimensions?.width;
    this.height = dimensions?.height;
  }
}

function sameNalUnits(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}

/** A lookup table over the 64 possible nal_unit_type values. */
export function nalTypeTable<T extends Uint8Array | Int8Array>(
  table: T,
  entries: Iterable<readonly [types: readonly number[], value: number]>,
): T {
  for (const [types, value] of entries) for (const type of types) table[type] = value;
  return table;
}
