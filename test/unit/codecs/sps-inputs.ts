/** Hostile inputs for the SPS readers' properties: real SPS NAL units cut short and overwritten. */
import fc from 'fast-check';

/**
 * A real NAL unit truncated anywhere after its header, with up to 4 bytes
 * overwritten past the `headerLength`-byte header (so it stays an SPS).
 */
export function mutatedNalUnit(
  real: readonly Uint8Array[],
  headerLength: number,
): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...real),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }),
      fc.nat(),
    )
    .map(([nal, edits, cut]) => {
      const copy = nal.slice(0, headerLength + (cut % (nal.length - headerLength + 1)));
      for (const [at, value] of edits) {
        if (at % copy.length >= headerLength) copy[at % copy.length] = value;
      }
      return copy;
    });
}

/** The NAL header followed by random bytes. */
export const randomAfterHeader = (
  header: readonly number[],
  maxBytes: number,
): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ maxLength: maxBytes }).map((body) => Uint8Array.from([...header, ...body]));
