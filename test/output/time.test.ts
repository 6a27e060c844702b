import { describe, expect, it } from 'vitest';
import { fraction, secondsText, TimeColumn } from '../../src/output/time.js';

// 2009-11-18 08:19:46.123456 UTC (= tshark -t ud on a µs capture)
const T0 = 1_258_532_386_123_456_000n;

describe('time column (tshark -t)', () => {
  it('truncates fractions to the capture precision', () => {
    expect(fraction(123_456_789, 6)).toBe('123456');
    expect(fraction(123, 9)).toBe('000000123');
    expect(fraction(999_999_999, 3)).toBe('999');
    expect(fraction(5, 0)).toBe('');
    expect(secondsText(123_000n, 6)).toBe('0.000123');
    expect(secondsText(-123_000n, 6)).toBe('-0.000123');
    expect(secondsText(828_486_689_000n, 6)).toBe('828.486689');
    expect(secondsText(T0, 9)).toBe('1258532386.123456000');
  });

  it('r: seconds since the first packet', () => {
    const t = new TimeColumn('r');
    expect(t.next(T0, 6)).toBe('0.000000');
    expect(t.next(T0 + 69_740_000n, 6)).toBe('0.069740');
    expect(t.next(T0 + 1_000_000_001n, 9)).toBe('1.000000001');
  });

  it('d and dd: since the previous packet', () => {
    for (const f of ['d', 'dd'] as const) {
      const t = new TimeColumn(f);
      expect(t.next(T0, 6)).toBe('0.000000');
      expect(t.next(T0 + 4_081_000n, 6)).toBe('0.004081');
      expect(t.next(T0 + 5_000_000n, 6)).toBe('0.000919');
    }
  });

  it('e: epoch seconds', () => {
    expect(new TimeColumn('e').next(T0, 6)).toBe('1258532386.123456');
  });

  it('u/ud: UTC clock and date', () => {
    expect(new TimeColumn('u').next(T0, 6)).toBe('08:19:46.123456');
    expect(new TimeColumn('ud').next(T0, 6)).toBe('2009-11-18 08:19:46.123456');
    expect(new TimeColumn('ud').next(T0, 9)).toBe('2009-11-18 08:19:46.123456000');
  });

  it('a/ad: local clock (same as UTC when TZ is UTC)', () => {
    const saved = process.env.TZ;
    // Node reads TZ at first use of the local-time functions; only check when it is UTC here.
    const off = new Date(Number(T0 / 1_000_000n)).getTimezoneOffset();
    if (off === 0) {
      expect(new TimeColumn('a').next(T0, 6)).toBe('08:19:46.123456');
      expect(new TimeColumn('ad').next(T0, 6)).toBe('2009-11-18 08:19:46.123456');
    } else {
      const d = new Date(Number(T0 / 1_000_000n));
      expect(new TimeColumn('a').next(T0, 6)).toBe(
        `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:46.123456`,
      );
    }
    process.env.TZ = saved;
  });
});
