// The detail tree (`-V` / `-T tree`), indented like `tshark -V`:
//
//   Layer title                          (one line per layer, at the layer's depth)
//       Label: show                      (fields, 4 spaces deeper per level)
//       .... ..1. = Syn: Set             (a field with a mask and no text: its bits drawn over its bytes;
//                                         a field with text: the text as given, bits and all)
//       [Generated field: value]         (generated fields in brackets)
//       Inner layer title …              (layer.inner, nested inside the layer that quotes it)
//       [Expert Info (Error/Malformed): message]   (problems, with severity and group)
//
// Generic over the Layer tree: titles, fields, inner layers, analysis extras and problems.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import type { Field, Problem } from '../dissect/types.js';

const INDENT: string[] = [''];
function indent(depth: number): string {
  while (INDENT.length <= depth) INDENT.push(INDENT[INDENT.length - 1] + '    ');
  return INDENT[depth];
}

/** Bits of `len` bytes at `start` of buf under `mask`, e.g. ".... ..1." (groups of 4, MSB first). */
export function bitPattern(buf: Uint8Array, start: number, len: number, mask: number): string {
  let nbytes = len;
  const m = BigInt(Math.trunc(mask));
  const maskBytes = Math.max(1, Math.ceil(m.toString(2).length / 8));
  if (nbytes <= 0 || nbytes > 8) nbytes = Math.min(8, maskBytes);
  let raw = 0n;
  for (let i = 0; i < nbytes; i++) raw = (raw << 8n) | BigInt(buf[start + i] ?? 0);
  const bits = nbytes * 8;
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 1n << BigInt(i);
    s += (m & bit) === 0n ? '.' : (raw & bit) === 0n ? '0' : '1';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  return s;
}

export function fieldText(f: Field, buf: Uint8Array): string {
  // `text` is the whole line as the dissector wants it (it may draw its own bits, e.g. tshark's
  // 12-bit TCP flags); otherwise a masked field gets its bits drawn over its bytes.
  let t: string;
  if (f.text !== undefined) t = f.text;
  else {
    // tshark writes at most 36 bytes of an FT_BYTES value in a tree label, then "…"
    const show = f.value instanceof Uint8Array && f.value.length > 36 && f.show.length === f.value.length * 2 ? f.show.slice(0, 72) + '\u2026' : f.show;
    t = show === '' && f.key === '' ? f.label : `${f.label}: ${show}`;
    if (f.mask !== undefined && f.mask !== 0) t = bitPattern(buf, f.start, f.len, f.mask) + ' = ' + t;
  }
  return f.generated ? '[' + t + ']' : t;
}

const SEVERITY: Record<Problem['kind'], [string, string]> = {
  malformed: ['Error', 'Malformed'],
  truncated: ['Warning', 'Malformed'],
  checksum: ['Error', 'Checksum'],
  unsupported: ['Note', 'Undecoded'],
};

export function problemLines(p: Problem, depth: number): string {
  const [sev, group] = SEVERITY[p.kind] ?? ['Note', 'Protocol'];
  const a = indent(depth), b = indent(depth + 1);
  return (
    `${a}[Expert Info (${sev}/${group}): ${p.message}]\n` +
    `${b}[${p.message}]\n${b}[Severity level: ${sev}]\n${b}[Group: ${group}]\n`
  );
}

function fieldsText(fs: readonly Field[], buf: Uint8Array, depth: number): string {
  let out = '';
  const pre = indent(depth);
  for (const f of fs) {
    if (f.hidden === true) continue;
    out += pre + fieldText(f, buf) + '\n';
    if (f.children && f.children.length > 0) out += fieldsText(f.children, buf, depth + 1);
  }
  return out;
}

export function layerTitle(l: Layer): string {
  let t: string;
  try {
    t = l.dis.title ? l.dis.title(l) : l.dis.name;
  } catch {
    t = l.dis.name;
  }
  return t;
}

/** The tree of these layers at `depth` (0 = top). */
export function layersText(layers: readonly Layer[], depth: number): string {
  let out = '';
  for (const l of layers) {
    const sub = depth + 1;
    let s = indent(depth) + layerTitle(l) + '\n';
    s += fieldsText(l.fields(), l.buf, sub);
    if (l.inner !== null && l.inner.length > 0) s += layersText(l.inner, sub);
    if (l.extra !== null) s += fieldsText(l.extra, l.buf, sub);
    if (l.problems !== null) for (const p of l.problems) s += problemLines(p, sub);
    out += s;
  }
  return out;
}

/** The whole packet as `tshark -V` prints it, followed by a blank line. */
export function packetTree(pkt: Packet): string {
  return layersText(pkt.layers, 0) + '\n';
}
