import { describe, expect, it } from 'vitest';
import { BoxTable, boxTable } from '../../src/output/box-table.js';

describe('BoxTable', () => {
  it('draws cells added piece by piece, integers as digits, widths from the widest cell', () => {
    const t = new BoxTable(['#', 'Endpoint', 'Time']);
    t.int(7).end();
    t.text('[').text('::1').text(']:').int(443).end();
    t.cell('4.0 µs');
    t.int(1234567890123).end();
    t.text('10.0.0.1:').int(0).end();
    t.cell('—');
    expect(t.rows).toBe(2);
    expect(t.bytes(false, 'Title').toString()).toBe(
      [
        'Title',
        '┌───────────────┬────────────┬────────┐',
        '│ #             │ Endpoint   │ Time   │',
        '├───────────────┼────────────┼────────┤',
        '│ 7             │ [::1]:443  │ 4.0 µs │',
        '│ 1234567890123 │ 10.0.0.1:0 │ —      │',
        '└───────────────┴────────────┴────────┘',
        '',
      ].join('\n'),
    );
  });

  it('int() of what is not a non-negative safe integer writes String(v)', () => {
    const t = new BoxTable(['v']);
    for (const v of [-3, 2.5, 2 ** 60, NaN]) t.int(v).end();
    expect(t.bytes(false).toString().split('\n').slice(3, 7)).toEqual(['│ -3                  │', '│ 2.5                 │', '│ 1152921504606847000 │', '│ NaN                 │']);
  });

  it('grows past its first buffers (cells and bytes) and keeps every cell', () => {
    const t = new BoxTable(['a', 'b']);
    const long = 'x'.repeat(3000);
    for (let i = 0; i < 5000; i++) {
      t.int(i).end();
      t.cell(i % 1000 === 0 ? long : 'é');
    }
    const lines = t.bytes(false).toString().split('\n');
    expect(lines.length).toBe(5000 + 5);
    expect(lines[3]).toBe(`│ 0    │ ${long} │`);
    expect(lines[4]).toBe(`│ 1    │ é${' '.repeat(2999)} │`);
    expect(lines[5002]).toBe(`│ 4999 │ é${' '.repeat(2999)} │`);
  });

  it('colours: bold-free grey rules, cyan header, plain cells; no rows, no middle rule', () => {
    expect(boxTable(['h'], [], true)).toBe('\x1b[90m┌───┐\x1b[39m\n\x1b[90m│\x1b[39m \x1b[36mh\x1b[39m \x1b[90m│\x1b[39m\n\x1b[90m└───┘\x1b[39m\n');
    expect(boxTable(['h'], [['1']], true).split('\n')[3]).toBe('\x1b[90m│\x1b[39m 1 \x1b[90m│\x1b[39m');
  });
});
