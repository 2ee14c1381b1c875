/**
 * The frame of the H.264 (RFC 6184) and H.265 (RFC 7798) depacketizers: every
 * packet opens and closes on the AccessUnitAssembler, which owns frames and
 * counters; the codec file only turns one RTP payload into NAL units.
 */
import { AccessUnitAssembler, type NalSyntax } from './access-unit.js';
import type {
  DepacketizedVideoFrame,
  Depacketizer,
  DepacketizerOptions,
  DepacketizerStats,
  MediaPacket,
} from './depacketizer.js';

export abstract class NalDepacketizer implements Depacketizer<DepacketizedVideoFrame> {
  readonly media = 'video';
  abstract readonly codec: NalSyntax['codec'];
  protected readonly assembler: AccessUnitAssembler;

  constructor(
    syntax: NalSyntax,
    outOfBandParameterSets: readonly Uint8Array[],
    options: DepacketizerOptions | undefined,
  ) {
    this.assembler = new AccessUnitAssembler(syntax, outOfBandParameterSets, options);
  }

  get stats(): Readonly<DepacketizerStats> {
    return this.assembler.stats;
  }

  get bufferedBytes(): number {
    return this.assembler.bufferedBytes;
  }

  push(packet: MediaPacket): void {
    this.assembler.beginPacket(packet);
    this.pushPayload(packet.payload);
    this.assembler.endPacket(packet.marker);
  }

  pull(): DepacketizedVideoFrame | undefined {
    return this.assembler.pull();
  }

  reset(): void {
    this.assembler.reset();
  }

  /** Hands the NAL units (or fragments) of one payload to the assembler; counts what it cannot use. */
  protected abstract pushPayload(payload: Uint8Array): void;
}
