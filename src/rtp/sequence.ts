/** 16-bit RTP sequence number arithmetic (RFC 3550 §5.1, A.1): values wrap at 2^16. */

const SEQ_MOD = 0x1_0000;

/** `a - b` modulo 2^16 as a signed number in [-32768, 32767]: positive when `a` is ahead. */
export function seqDiff(a: number, b: number): number {
  return ((((a - b) % SEQ_MOD) + SEQ_MOD + 0x8000) % SEQ_MOD) - 0x8000;
}

/** `seq + n` modulo 2^16 (n may be negative). */
export function seqAdd(seq: number, n: number): number {
  return (((seq + n) % SEQ_MOD) + SEQ_MOD) % SEQ_MOD;
}
