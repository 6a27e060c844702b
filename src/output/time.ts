// The Time column, as tshark's `-t` formats print it.
//
//   r   seconds since the first packet          0.000123
//   a   local wall-clock time                   08:19:46.123456
//   ad  local date and time                     2009-11-18 08:19:46.123456
//   u   UTC time                                08:19:46.123456
//   ud  UTC date and time                       2009-11-18 08:19:46.123456
//   e   seconds since the Unix epoch            1258532386.123456
//   d   seconds since the previous packet       0.000017
//   dd  seconds since the previous displayed    0.000017 (differs from d only with a display filter, -Y)
//
// Digits after the point = the frame's tsPrecision (6 for µs captures, 9 for ns), truncated like
// tshark (never rounded up). Local times follow the TZ environment variable.

export const TIME_FORMATS = ['r', 'a', 'ad', 'e', 'd', 'dd', 'u', 'ud'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

const DIV = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];

/** Fraction digits of `nsPart` (0..999999999) at `prec` digits, e.g. (123456000, 6) → "123456". */
export function fraction(nsPart: number, prec: number): string {
  if (prec <= 0) return '';
  const p = prec > 9 ? 9 : prec;
  const v = Math.floor(nsPart / DIV[p]);
  const t = String(v);
  return t.length === p ? t : ZEROS[p - t.length] + t;
}

/** Signed seconds from nanoseconds: "-0.000123", "12.5". */
export function secondsText(ns: bigint, prec: number): string {
  const n = Number(ns);
  if (n <= Number.MAX_SAFE_INTEGER && n >= -Number.MAX_SAFE_INTEGER) {
    // fast path without BigInt division (relative and delta times)
    const a = n < 0 ? -n : n;
    const sec = Math.floor(a / 1e9);
    const f = fraction(a - sec * 1e9, prec);
    return (n < 0 ? '-' : '') + sec + (f === '' ? '' : '.' + f);
  }
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  const s = a / 1_000_000_000n;
  const frac = Number(a % 1_000_000_000n);
  const f = fraction(frac, prec);
  return (neg ? '-' : '') + s.toString() + (f === '' ? '' : '.' + f);
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Formats timestamps for one run; keeps the first/previous timestamps it needs. */
export class TimeColumn {
  private first: bigint | null = null;
  private prev: bigint | null = null;
  private cacheSec = NaN;
  private cachePrefix = '';

  constructor(readonly format: TimeFormat = 'r') {}

  /** Text for a frame at `ts` (ns since epoch) with `prec` sub-second digits. Call once per frame, in order. */
  next(ts: bigint, prec: number): string {
    if (this.first === null) this.first = ts;
    const prev = this.prev ?? ts;
    this.prev = ts;
    switch (this.format) {
      case 'r':
        return secondsText(ts - this.first, prec);
      case 'd':
      case 'dd':
        return secondsText(ts - prev, prec);
      case 'e':
        return secondsText(ts, prec);
      default:
        return this.clock(ts, prec);
    }
  }

  /**
   * A frame read but not shown (a display filter dropped it): it still starts the clock of `r`, and
   * is the previous frame for `d` (previous captured); `dd` counts only shown frames (as tshark).
   */
  skip(ts: bigint): void {
    if (this.first === null) this.first = ts;
    if (this.format === 'd') this.prev = ts;
  }

  private clock(ts: bigint, prec: number): string {
    let sec = ts / 1_000_000_000n;
    let ns = ts % 1_000_000_000n;
    if (ns < 0n) {
      ns += 1_000_000_000n;
      sec -= 1n;
    }
    const s = Number(sec);
    if (s !== this.cacheSec) {
      const d = new Date(s * 1000);
      const utc = this.format === 'u' || this.format === 'ud';
      const hms = utc
        ? two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ':' + two(d.getUTCSeconds())
        : two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
      let prefix = hms;
      if (this.format === 'ad' || this.format === 'ud') {
        const y = utc ? d.getUTCFullYear() : d.getFullYear();
        const m = utc ? d.getUTCMonth() + 1 : d.getMonth() + 1;
        const day = utc ? d.getUTCDate() : d.getDate();
        prefix = String(y).padStart(4, '0') + '-' + two(m) + '-' + two(day) + ' ' + hms;
      }
      this.cacheSec = s;
      this.cachePrefix = prefix;
    }
    const f = fraction(Number(ns), prec);
    return f === '' ? this.cachePrefix : this.cachePrefix + '.' + f;
  }
}

export function isTimeFormat(s: string): s is TimeFormat {
  return (TIME_FORMATS as readonly string[]).includes(s);
}
