// ICMP / ICMPv6 echo request ↔ reply pairing, as tshark 4.0 does it in one pass (`tshark -r`).
//
// Wireshark's rules (packet-icmp.c / packet-icmpv6.c, transaction_start/transaction_end), checked
// with tshark on crafted captures (see test/analysis/icmp/):
// - The transaction key is the address pair (either direction: a reply that goes the same way as
//   its request still matches, one from a third host does not), the identifier, the sequence
//   number and the checksum with the type/code word taken out — so the reply must carry the same
//   data as the request.
// - A request (re)opens the transaction for its key: the latest request wins.
// - A reply matches the open transaction with its key if that one has no reply yet: it gets
//   icmp.resp_to (the request frame), icmp.resptime (ms) and " (request in N)" in Info. A second
//   identical reply gets nothing.
// - Requests get " (reply in N)" / icmp.resp_in only on tshark's second pass (-2), which `read`
//   does not do: the request is printed before its reply is read. Same for ICMPv6 (icmpv6.*).
// Echoes quoted inside ICMP errors (layer.inner) are not paired (tshark: in_error_pkt).

import type { Packet } from '../dissect/chain.js';
import { fUint, gen, u16 } from '../dissect/fields.js';
import type { Layer } from '../dissect/layer.js';
import type { Field } from '../dissect/types.js';
import { analysisMayAffect, type Analyzer } from '../pipeline.js';

export const ICMP_ECHO_KEYS: readonly string[] = [
  'icmp.resp_in', 'icmp.resp_to', 'icmp.resptime', 'icmpv6.resp_in', 'icmpv6.resp_to', 'icmpv6.resptime',
];

/** What the analyzer leaves in layer.ann of an echo request or reply (read by the dissectors' info()). */
export interface EchoAnn {
  /** Reply: the request frame it answers (0: none). */
  reqFrame: number;
  /** Request: the reply frame (only known on a second pass; 0 in `read`). */
  respFrame: number;
  /** Reply: time since the request in ms (NaN when unpaired). */
  respTimeMs: number;
}

interface Trans {
  reqFrame: number;
  reqTs: bigint;
  respFrame: number;
}

/** Most open transactions kept; the oldest is dropped past it (a bound on memory, reported in stats). */
export const MAX_ECHO_TRANSACTIONS = 65536;

/** A double as C's "%.15g" (tshark -T fields for FT_DOUBLE). */
export function fmtG15(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const e = x.toExponential(14);
  const at = e.indexOf('e');
  const exp = Number(e.slice(at + 1));
  if (exp < -4 || exp >= 15) {
    const m = e.slice(0, at).replace(/\.?0+$/, '');
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, 14 - exp));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** nstime_to_msec() of a delta in ns: secs*1000 + nsecs/1e6 in doubles, like Wireshark. */
function msOf(deltaNs: bigint): number {
  const secs = deltaNs / 1_000_000_000n;
  const nsecs = deltaNs % 1_000_000_000n;
  return Number(secs) * 1000 + Number(nsecs) / 1e6;
}

/** The ones'-complement sum the checksum field stands for, without the type/code word. */
function restSum(buf: Uint8Array, start: number): number {
  const x = ~u16(buf, start + 2) & 0xffff;
  let s = x + (~((buf[start] << 8) | buf[start + 1]) & 0xffff);
  s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff ? 0 : s;
}

export class IcmpEcho {
  private readonly open = new Map<string, Trans>();
  readonly stats = { requests: 0, replies: 0, matched: 0, dropped: 0 };

  packet(pkt: Packet): void {
    const ls = pkt.layers;
    for (let i = ls.length - 1; i > 0; i--) {
      const p = ls[i].proto;
      if (p !== 'icmp' && p !== 'icmpv6') continue;
      this.echo(pkt, ls, i, p === 'icmpv6');
      return;
    }
  }

  private echo(pkt: Packet, ls: readonly Layer[], i: number, v6: boolean): void {
    const l = ls[i];
    const d = l.d as { ok: boolean; type: number };
    if (!d.ok || l.end - l.start < 8) return;
    const req = v6 ? 128 : 8, rep = v6 ? 129 : 0;
    if (d.type !== req && d.type !== rep) return;
    let ip: { src: string; dst: string } | null = null;
    for (let j = i - 1; j > 0 && ip === null; j--) if (ls[j].proto === 'ip' || ls[j].proto === 'ipv6') ip = ls[j].d;
    if (ip === null) return;
    const { buf, start } = l;
    const a = ip.src < ip.dst ? ip.src : ip.dst, b = ip.src < ip.dst ? ip.dst : ip.src;
    const key = `${v6 ? 6 : 4} ${a} ${b} ${u16(buf, start + 4)} ${u16(buf, start + 6)} ${restSum(buf, start)}`;
    const frame = pkt.frame.index;
    if (d.type === req) {
      this.stats.requests++;
      if (this.open.size >= MAX_ECHO_TRANSACTIONS && !this.open.has(key)) {
        const oldest = this.open.keys().next().value;
        if (oldest !== undefined) this.open.delete(oldest);
        this.stats.dropped++;
      }
      this.open.set(key, { reqFrame: frame, reqTs: pkt.frame.ts, respFrame: 0 });
      return;
    }
    this.stats.replies++;
    const t = this.open.get(key);
    if (t === undefined || t.respFrame !== 0) return;
    t.respFrame = frame;
    this.stats.matched++;
    const ms = msOf(pkt.frame.ts - t.reqTs);
    const ann: EchoAnn = { reqFrame: t.reqFrame, respFrame: 0, respTimeMs: ms };
    l.ann = ann;
    const pfx = v6 ? 'icmpv6' : 'icmp';
    const to = gen(fUint(`${pfx}.resp_to`, v6 ? 'Response To' : 'Request frame', t.reqFrame, l.start, 0));
    const rt: Field = gen({ key: `${pfx}.resptime`, label: v6 ? 'Response Time' : 'Response time', value: ms, show: fmtG15(ms), start: l.start, len: 0 });
    rt.text = `${rt.label}: ${ms.toFixed(3)} ms`;
    l.addExtra(to);
    l.addExtra(rt);
  }

  finish(): void {
    this.open.clear();
  }
}

export function icmpEchoAnalyzer(t = new IcmpEcho()): Analyzer {
  return {
    name: 'icmp-echo',
    fieldKeys: ICMP_ECHO_KEYS,
    affects: analysisMayAffect,
    packet: (pkt) => t.packet(pkt),
    finish: () => t.finish(),
  };
}
