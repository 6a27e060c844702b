// Box-drawn summary tables (conversations, http, dns).
//
// Why not cli-table3: its layout cost grows faster than the rows. Measured here: 1,000 rows of a
// conversation table took 0.9 s and 6,000 rows 12.6 s (a 200k-packet capture has 6,225 TCP
// conversations and 17,905 HTTP transactions). This renderer draws the same box in two linear passes.
//
// The cells go as UTF-8 straight into one byte array as they are added (integers as digits, with
// no string), and the box is written from it in one loop once the column widths are known. The
// table is drawn once, at the end of a run, so its code runs cold: a string per cell and a call
// per cell and per row cost ~50 ms for the 6,225 rows of the benchmark's conversation table
// (`conversations` takes ~0.5 s in all); this way ~15 ms.

/**
 * A box-drawn table (the look of cli-table3's default style) built cell by cell: text() and int()
 * append to the current cell, end() closes it; cells fill the rows left to right. Cells are
 * single-width text (addresses, numbers, units): widths count UTF-16 units.
 */
export class BoxTable {
  private readonly n: number;
  /** Column widths so far (the header's, then the widest cell's). */
  private readonly width: number[];
  private data: Buffer;
  private used = 0;
  /** Per closed cell: the end of its bytes in `data`, and its width. */
  private ends: Int32Array;
  private widths: Int32Array;
  private cells = 0;
  /** Width of the open cell so far. */
  private open = 0;

  /**
   * `rows`: how many rows are coming, when known: the storage is made that size at once (growing
   * it copies, and every fresh page costs a page fault: ~11 µs each on the benchmark machine).
   */
  constructor(private readonly head: readonly string[], rows = 256) {
    this.n = head.length;
    this.width = head.map((h) => h.length);
    const cells = Math.max(1, rows * this.n);
    this.ends = new Int32Array(cells);
    this.widths = new Int32Array(cells);
    this.data = Buffer.allocUnsafe(cells * 8); // most cells are a few characters
  }

  /** Append `s` to the open cell. */
  text(s: string): this {
    const len = s.length;
    if (this.used + 3 * len > this.data.length) this.grow(3 * len);
    const d = this.data;
    let o = this.used;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // not ASCII: Buffer.write encodes the whole string again from where it began
        o = o - i + d.write(s, o - i);
        break;
      }
      d[o++] = c;
    }
    this.used = o;
    this.open += len;
    return this;
  }

  /** Append a number as String(v) writes it (digits without a string for a non-negative integer). */
  int(v: number): this {
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v)) return this.text(String(v));
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    if (this.used + digits > this.data.length) this.grow(digits);
    const d = this.data;
    let o = this.used + digits;
    this.used = o;
    this.open += digits;
    for (let x = v; ; ) {
      const q = Math.floor(x / 10);
      d[--o] = 48 + (x - q * 10);
      if (q === 0) break;
      x = q;
    }
    return this;
  }

  /** Close the open cell. */
  end(): void {
    const k = this.cells;
    if (k === this.ends.length) {
      const e = new Int32Array(2 * k), w = new Int32Array(2 * k);
      e.set(this.ends);
      w.set(this.widths);
      this.ends = e;
      this.widths = w;
    }
    this.ends[k] = this.used;
    this.widths[k] = this.open;
    const col = k % this.n;
    if (this.open > this.width[col]) this.width[col] = this.open;
    this.open = 0;
    this.cells = k + 1;
  }

  /** A cell of one string. */
  cell(s: string): void {
    this.text(s).end();
  }

  /** Complete rows added. */
  get rows(): number {
    return Math.floor(this.cells / this.n);
  }

  private grow(more: number): void {
    const d = Buffer.allocUnsafe(Math.max(2 * this.data.length, this.used + more));
    this.data.copy(d, 0, 0, this.used);
    this.data = d;
  }

  /** The table as UTF-8 bytes, after a `title` line when given (a row left incomplete is not drawn). */
  bytes(color: boolean, title?: string): Buffer {
    const n = this.n, w = this.width, rows = this.rows;
    const G = color ? '\x1b[90m' : '', C = color ? '\x1b[36m' : '', E = color ? '\x1b[39m' : '';
    const rule = (l: string, m: string, r: string) => G + l + w.map((x) => '─'.repeat(x + 2)).join(m) + r + E + '\n';
    let headLine = G + '│' + E;
    for (let i = 0; i < n; i++) headLine += ' ' + C + this.head[i] + E + ' '.repeat(w[i] - this.head[i].length + 1) + G + '│' + E;
    const before = (title === undefined ? '' : title + '\n') + rule('┌', '┬', '┐') + headLine + '\n' + (rows > 0 ? rule('├', '┼', '┤') : '');
    const after = rule('└', '┴', '┘');
    const bar = Buffer.from(G + '│' + E);
    const barN = bar.length;
    // each row: its cells' bytes, and per cell a space, the padding to the column width, a space and a bar
    let perRow = barN + 1;
    for (let i = 0; i < n; i++) perRow += w[i] + 2 + barN;
    const cellBytes = rows === 0 ? 0 : this.ends[rows * n - 1];
    const out = Buffer.allocUnsafe(3 * (before.length + after.length) + cellBytes + rows * perRow);
    let o = out.write(before, 0);
    const d = this.data, ends = this.ends, widths = this.widths;
    let s = 0;
    for (let r = 0, k = 0; r < rows; r++) {
      for (let b = 0; b < barN; b++) out[o++] = bar[b];
      for (let i = 0; i < n; i++, k++) {
        out[o++] = 0x20;
        for (const e = ends[k]; s < e; s++) out[o++] = d[s];
        for (let p = w[i] - widths[k] + 1; p > 0; p--) out[o++] = 0x20;
        for (let b = 0; b < barN; b++) out[o++] = bar[b];
      }
      out[o++] = 0x0a;
    }
    o += out.write(after, o);
    return out.subarray(0, o);
  }
}

/** A box table of string cells as UTF-8 bytes. */
export function boxTableBytes(head: readonly string[], rows: readonly string[][], color: boolean): Buffer {
  const t = new BoxTable(head, rows.length);
  const n = head.length;
  for (const r of rows) for (let i = 0; i < n; i++) t.cell(r[i]);
  return t.bytes(color);
}

/** boxTableBytes() as a string. */
export function boxTable(head: readonly string[], rows: readonly string[][], color: boolean): string {
  return boxTableBytes(head, rows, color).toString('utf8');
}
