// DNS query/response pairing (UDP datagrams and messages reassembled from TCP), like Wireshark's
// dns transaction tracking: by transaction ID and endpoints. On a response: dns.response_to and
// dns.time; on the query (added when the response arrives): dns.response_in. A query repeated with
// the same ID before its answer (within the retransmission timer, 5 s as tshark) is marked
// dns.retransmission + dns.retransmit_request_in; a second response to an answered query
// dns.retransmission + dns.retransmit_response_in; a response without a query dns.unsolicited.
// Queries never answered are listed as unanswered by `transactions`.

import type { Packet } from '../dissect/chain.js';
import { fBool, fStr, fUint, gen } from '../dissect/fields.js';
import type { Layer } from '../dissect/layer.js';
import type { Field } from '../dissect/types.js';
import { analysisMayAffect, type Analyzer } from '../pipeline.js';

export const DNS_TRANSACTION_KEYS = [
  'dns.response_in', 'dns.response_to', 'dns.time', 'dns.retransmission', 'dns.retransmit_request_in',
  'dns.retransmit_response_in', 'dns.unsolicited',
] as const;

/** Query names/types and answers in short form, read from the dns layer's decoded records. */
interface DnsLayerD {
  ok: boolean;
  id: number;
  flags: number;
  msg: number;
  msgEnd: number;
  records: { sec: number; name: { text: string }; type: number; rdStart: number; rdLen: number }[];
}

export interface DnsTransaction {
  id: number;
  transport: 'udp' | 'tcp';
  client: string;
  server: string;
  queryFrame: number;
  /** Frame timestamps (ns since the epoch). */
  queryTs: bigint;
  name: string;
  type: number;
  responseFrame: number;
  responseTs: bigint;
  rcode: number;
  /** The first ANSWERS_KEPT answers in short form ("A 192.0.2.1", "CNAME x.example"). */
  answers: string[];
  /** How many answer records the response carried (answers.length when at most ANSWERS_KEPT). */
  answerCount: number;
  /** Response time in seconds (-1 when unanswered). */
  latency: number;
  /** Frames of repeated queries (retransmissions) and repeated responses. */
  retransmits: number[];
  dupResponses: number[];
  /** A response that matched no query. */
  unsolicited: boolean;
  queryLayer: Layer | null;
}

const TYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 35: 'NAPTR',
  41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 50: 'NSEC3', 64: 'SVCB', 65: 'HTTPS', 249: 'TKEY',
  250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};
export function dnsTypeName(t: number): string {
  return TYPE_NAMES[t] ?? String(t);
}
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
export function rcodeName(r: number): string {
  return RCODES[r] ?? `RCODE${r}`;
}

/** Seconds with 9 decimals, as tshark shows FT_RELATIVE_TIME in -T fields. */
export function relTime(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  return (neg ? '-' : '') + (a / 1_000_000_000n).toString() + '.' + (a % 1_000_000_000n).toString().padStart(9, '0');
}

function fFrame(key: string, label: string, n: number): Field {
  return gen(fUint(key, label, n, 0, 0));
}

const RETRANS_NS = 5_000_000_000n;
/** Most outstanding queries remembered (oldest forgotten beyond it). */
const MAX_OPEN = 100_000;
/**
 * A query is remembered this long (capture time) for pairing, duplicate-response and retransmission
 * detection, then forgotten: a resolver gives up after a few seconds, and without a bound the map
 * holds every query of a long capture (it sat at MAX_OPEN, ~60 MB, on a 1.7M-packet file).
 */
const OPEN_TTL_NS = 60_000_000_000n;

/**
 * What pairing needs of a query while it is remembered: small, because a busy capture holds a
 * minute of queries (OPEN_TTL_NS). `tx` is the full record, only when the list is kept.
 */
interface OpenQuery {
  key: string;
  queryFrame: number;
  queryTs: bigint;
  /** Frame of the first response, 0 while unanswered. */
  responseFrame: number;
  tx: DnsTransaction | null;
}

export class DnsTransactions {
  /** Every transaction in query order (responses without a query included). */
  readonly list: DnsTransaction[] = [];
  private open = new Map<string, OpenQuery>();
  keep = true;

  packet(pkt: Packet): void {
    const layers = pkt.layers;
    for (let i = layers.length - 1; i > 0; i--) {
      const l = layers[i];
      if (l.dis.proto !== 'dns') continue;
      const d = l.d as DnsLayerD;
      if (!d || !d.ok) continue;
      this.message(pkt, l, layers, i);
    }
  }

  private endpoints(layers: readonly Layer[], at: number): { src: string; dst: string; tr: 'udp' | 'tcp' } | null {
    let sp = -1, dp = -1, tr: 'udp' | 'tcp' = 'udp';
    for (let i = at - 1; i > 0; i--) {
      const p = layers[i].dis.proto;
      if (sp < 0 && (p === 'udp' || p === 'tcp')) {
        const d = layers[i].d as { srcport: number; dstport: number };
        sp = d.srcport;
        dp = d.dstport;
        tr = p;
      } else if (sp >= 0 && (p === 'ip' || p === 'ipv6')) {
        const d = layers[i].d as { src: string; dst: string };
        const w = (a: string, port: number) => (p === 'ipv6' ? `[${a}]:${port}` : `${a}:${port}`);
        return { src: w(d.src, sp), dst: w(d.dst, dp), tr };
      }
    }
    return null;
  }

  /**
   * No response can be paired with this query any more: drop it, and the query's layer (a view of
   * its frame's bytes: it keeps the whole read buffer of the frame alive).
   */
  private forget(q: OpenQuery): void {
    this.open.delete(q.key);
    if (q.tx !== null) q.tx.queryLayer = null;
  }

  private message(pkt: Packet, l: Layer, layers: readonly Layer[], at: number): void {
    const d = l.d as DnsLayerD;
    const ep = this.endpoints(layers, at);
    if (ep === null) return;
    const resp = (d.flags & 0x8000) !== 0;
    const ts = pkt.frame.ts;
    // forget queries older than OPEN_TTL_NS: the map is in query order, so look at its front only
    const open = this.open;
    while (open.size > 0) {
      const q = open.values().next().value as OpenQuery;
      if (ts - q.queryTs <= OPEN_TTL_NS) break;
      this.forget(q);
    }
    const frame = pkt.frame.index;
    // mDNS answers go to the multicast group (or from another host): pair by ID alone there
    const mdns = (l.d as { flavour?: string }).flavour === 'mdns';
    if (!resp) {
      const key = mdns ? `mdns|${ep.src.startsWith("[") ? 6 : 4}|${d.id}` : `${ep.tr}|${ep.src}|${ep.dst}|${d.id}`;
      const q = open.get(key);
      if (q && q.responseFrame === 0 && ts - q.queryTs < RETRANS_NS) {
        q.tx?.retransmits.push(frame);
        l.addExtra(gen(fBool('dns.retransmission', 'Retransmission', true, 0, 0)));
        l.addExtra(fFrame('dns.retransmit_request_in', 'Retransmitted request. Original request in', q.queryFrame));
        return;
      }
      let tx: DnsTransaction | null = null;
      if (this.keep) {
        // streaming (keep false): the query was printed already, so no response_in is added to it
        // later, and no record is kept: holding its layer would only pin its packet's memory
        const qr = d.records.find((r) => r.sec === 0);
        tx = {
          id: d.id, transport: ep.tr, client: ep.src, server: ep.dst, queryFrame: frame, queryTs: ts,
          name: qr?.name.text ?? '', type: qr?.type ?? 0, responseFrame: 0, responseTs: 0n, rcode: -1, answers: [], answerCount: 0,
          latency: -1, retransmits: [], dupResponses: [], unsolicited: false, queryLayer: l,
        };
        this.list.push(tx);
      }
      if (q !== undefined) this.forget(q); // re-inserted at the back: the map stays in query order
      else if (open.size >= MAX_OPEN) this.forget(open.values().next().value as OpenQuery);
      open.set(key, { key, queryFrame: frame, queryTs: ts, responseFrame: 0, tx });
      return;
    }
    const key = mdns ? `mdns|${ep.src.startsWith("[") ? 6 : 4}|${d.id}` : `${ep.tr}|${ep.dst}|${ep.src}|${d.id}`;
    const q = open.get(key);
    if (q === undefined) {
      l.addExtra(gen(fBool('dns.unsolicited', 'Unsolicited', true, 0, 0)));
      if (this.keep) {
        const qr = d.records.find((r) => r.sec === 0);
        const t: DnsTransaction = {
          id: d.id, transport: ep.tr, client: ep.dst, server: ep.src, queryFrame: 0, queryTs: 0n,
          name: qr?.name.text ?? '', type: qr?.type ?? 0,
          responseFrame: frame, responseTs: ts, rcode: d.flags & 15, answers: [], answerCount: 0, latency: -1,
          retransmits: [], dupResponses: [], unsolicited: true, queryLayer: null,
        };
        answersOf(l, t);
        this.list.push(t);
      }
      return;
    }
    if (q.responseFrame !== 0) {
      q.tx?.dupResponses.push(frame);
      l.addExtra(gen(fBool('dns.retransmission', 'Retransmission', true, 0, 0)));
      l.addExtra(fFrame('dns.retransmit_response_in', 'Retransmitted response. Original response in', q.responseFrame));
      return;
    }
    q.responseFrame = frame;
    l.addExtra(fFrame('dns.response_to', 'Request In', q.queryFrame));
    const tf = gen(fStr('dns.time', 'Time', relTime(ts - q.queryTs), 0, 0));
    tf.text = `Time: ${relTime(ts - q.queryTs)} seconds`;
    l.addExtra(tf);
    const t = q.tx;
    if (t === null) return;
    t.responseFrame = frame;
    t.responseTs = ts;
    t.rcode = d.flags & 15;
    // the answers in short form are for the transaction list only (they build every field of the layer)
    answersOf(l, t);
    t.latency = Number(ts - t.queryTs) / 1e9;
    // the query's frame learns where its answer is (seen by outputs that print after the run)
    t.queryLayer?.addExtra(fFrame('dns.response_in', 'Response In', frame));
    t.queryLayer = null;
  }
}

/** Answers a transaction keeps in short form (the count says how many there were). */
export const ANSWERS_KEPT = 32;

/** t.answers: the first ANSWERS_KEPT answers in short form ("A 192.0.2.1", "CNAME x.example"); t.answerCount: all of them. */
function answersOf(l: Layer, t: DnsTransaction): void {
  const out: string[] = [];
  let n = 0;
  for (const f of l.fields()) {
    if (f.key !== '' || !f.children) continue;
    if (f.text !== 'Answers') continue;
    for (const rr of f.children) {
      n++;
      if (out.length >= ANSWERS_KEPT) continue;
      const cur: string[] = [];
      let type = '';
      for (const c of rr.children ?? []) {
        if (c.key === 'dns.resp.type') type = dnsTypeName(c.value as number);
        else if (/^dns\.(a|aaaa|cname|ns|ptr\.domain_name|mx\.mail_exchange|txt|srv\.target|soa\.mname)$/.test(c.key)) cur.push(c.show);
      }
      out.push(`${type}${cur.length ? ' ' + cur.join(' ') : ''}`);
    }
  }
  t.answers = out;
  t.answerCount = n;
}

export function dnsTransactionAnalyzer(t = new DnsTransactions()): Analyzer & { tx: DnsTransactions } {
  return { name: 'dns', fieldKeys: DNS_TRANSACTION_KEYS, affects: analysisMayAffect, packet: (p) => t.packet(p), tx: t };
}
