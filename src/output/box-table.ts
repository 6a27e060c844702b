// Box-drawn summary tables (conversations, http, dns).
//
// Why not cli-table3: its layout cost grows faster than the rows. Measured here: 1,000 rows of a
// conversation table took 0.9 s and 6,000 rows 12.6 s (a 200k-packet capture has 6,225 TCP
// conversations and 17,905 HTTP transactions). This renderer draws the same box in two linear passes.
//
// The text is written as UTF-8 straight into one Buffer: built as a string (one concatenation per
// cell) the 6,225-row conversation table of the benchmark took ~70 ms plus ~17 ms to encode a
// two-byte string, an eighth of the whole `conversations` run; into a Buffer it takes ~15 ms.

/**
 * A box-drawn table (the look of cli-table3's default style) as UTF-8 bytes: one pass for the
 * column widths, one for the text. Cells are single-width text (addresses, numbers, units): widths
 * count UTF-16 units, as the padding does.
 */
export function boxTableBytes(head: readonly string[], rows: readonly string[][], color: boolean): Buffer {
  const n = head.length;
  const w = head.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < n; i++) if (r[i].length > w[i]) w[i] = r[i].length;
  const G = color ? '\x1b[90m' : '', C = color ? '\x1b[36m' : '', E = color ? '\x1b[39m' : '';
  const rule = (l: string, m: string, r: string) => G + l + w.map((x) => '─'.repeat(x + 2)).join(m) + r + E + '\n';
  const top = rule('┌', '┬', '┐'), mid = rule('├', '┼', '┤'), bot = rule('└', '┴', '┘');
  const bar = Buffer.from(G + '│' + E);
  // Upper bound of a row's bytes: every UTF-16 unit of a cell takes at most 3 bytes in UTF-8.
  let rowMax = bar.length + 1;
  for (let i = 0; i < n; i++) rowMax += 3 * w[i] + 2 + C.length + E.length + bar.length;
  const buf = Buffer.allocUnsafe(rowMax * (rows.length + 1) + 3 * (top.length + mid.length + bot.length));
  let o = 0;
  const barN = bar.length;
  const line = (cells: readonly string[], pre: string, post: string) => {
    for (let k = 0; k < barN; k++) buf[o++] = bar[k];
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      buf[o++] = 0x20;
      if (pre !== '') o += buf.write(pre, o, 'latin1');
      o = put(buf, o, c);
      if (post !== '') o += buf.write(post, o, 'latin1');
      for (let k = w[i] - c.length + 1; k > 0; k--) buf[o++] = 0x20;
      for (let k = 0; k < barN; k++) buf[o++] = bar[k];
    }
    buf[o++] = 0x0a;
  };
  o += buf.write(top, o);
  line(head, C, E);
  if (rows.length > 0) {
    o += buf.write(mid, o);
    for (const r of rows) line(r, '', '');
  }
  o += buf.write(bot, o);
  return buf.subarray(0, o);
}

/**
 * Write `s` as UTF-8 at buf[o], returning the end: ASCII byte by byte (a cell is a few characters;
 * a native write per cell costs more than the copy), anything else through Buffer.write.
 */
function put(buf: Buffer, o: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return o - i + buf.write(s, o - i);
    buf[o++] = c;
  }
  return o;
}

/** boxTableBytes() as a string. */
export function boxTable(head: readonly string[], rows: readonly string[][], color: boolean): string {
  return boxTableBytes(head, rows, color).toString('utf8');
}
