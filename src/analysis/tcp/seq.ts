// TCP sequence-number arithmetic modulo 2^32 (RFC 793 / RFC 1982 serial-number comparison).
// Values are unsigned 32-bit integers held in JS numbers (0 … 2^32-1). A comparison looks at the
// signed 32-bit distance, exactly like Wireshark's GT_SEQ/LT_SEQ macros, so it is correct across
// a wrap as long as the two numbers are less than 2^31 apart.

/** Signed distance a - b in (-2^31, 2^31]. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}
export function seqLT(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqLE(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
export function seqGT(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
export function seqGE(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
/** (a + n) mod 2^32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
/** (a - b) mod 2^32: the unsigned distance, e.g. a relative sequence number (seq - ISN). */
export function seqSub(a: number, b: number): number {
  return (a - b) >>> 0;
}
