// Time formatting for analysis values kept as nanosecond numbers.

/** Nanoseconds as seconds with 9 decimals, as tshark prints FT_RELATIVE_TIME ("0.000029000"). */
export function fmtSecNs(ns: number): string {
  const neg = ns < 0;
  let a = Math.round(neg ? -ns : ns);
  const s = Math.floor(a / 1e9);
  a -= s * 1e9;
  const frac = String(a).padStart(9, '0');
  return (neg ? '-' : '') + s + '.' + frac;
}

/** Human duration: "182 µs", "70.0 ms", "3.41 s". */
export function fmtDur(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(ns)} ns`;
  if (a < 1e6) return `${(ns / 1e3).toFixed(a < 1e4 ? 1 : 0)} µs`;
  if (a < 1e9) return `${(ns / 1e6).toFixed(a < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(a < 1e10 ? 3 : 1)} s`;
}
