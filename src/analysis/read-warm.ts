// JIT warm-up for `wiretrace read` (every output format): a synthetic capture of a few hundred
// frames run through a THROWAWAY pipeline (its own Dissection, analyzers and sink, writing nowhere)
// before the real file. The frames: conv-warm.ts' TCP rules (handshakes, retransmissions, dup ACKs,
// zero windows, out-of-order segments, port reuse …), then HTTP/1.1 on ports 80 and 8080 over
// IPv4 and IPv6 (messages whole, split over segments, chunked, pipelined, out of order,
// retransmitted, ended by the close), DNS over UDP and TCP (A, AAAA, CNAME, PTR, MX, TXT, SRV, SOA,
// OPT, NXDOMAIN), ICMP and ICMPv6 (echo, an error quoting UDP, neighbour solicitation), ARP and
// UDP data.
//
// Why (measured on the 200k-packet benchmark capture, `read` to /dev/null): the same run takes
// ~2.1 s in a fresh process and ~1.1 s when repeated in the same process. V8 optimises the TCP
// tracker, the HTTP reassembly and the dissectors on the first common packets, then throws the
// optimised code away each time a branch it has never seen runs (the first retransmission, the
// first message split over segments, the first sweep of idle streams …) and runs the slow tiers
// until it has optimised them again: the tracker's analyse() and sequence() were compiled 6 and 7
// times (~130 ms of compiler time each). Seen once in the warm-up, those branches are in the type
// feedback the optimiser starts from.
//
// Nothing of the warm-up reaches the real output: none of its state is shared with the real run
// (test/cli/read-warmup.test.ts compares outputs with and without it).

import type { Frame } from '../capture/types.js';
import { ACK, FIN, frame, PSH, SYN, SYN_OPTS, tcpSeg, warmupFrames } from './conv-warm.js';


/** Latin-1 bytes of a string. */
function bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 255;
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Frames in capture order with their numbers and times (ms after `base`). */
class Trace {
  readonly frames: Frame[] = [];
  t = 0;
  constructor(private readonly base: bigint, private index: number) {}

  push(v6: boolean, dir: 0 | 1, l4: Uint8Array, proto: number, dt = 1): void {
    this.t += dt;
    // a few µs apart inside a millisecond, so that the times are not round
    const ts = this.base + BigInt(this.t) * 1_000_000n + BigInt((this.index * 7919) % 1_000_000);
    this.frames.push(frame(this.index++, ts, v6, dir, l4, proto));
  }
}

/** One TCP connection, client (dir 0) to server (dir 1), written segment by segment. */
class Conn {
  /** Next sequence number of each side. */
  private readonly next: [number, number];
  constructor(
    private readonly tr: Trace,
    private readonly v6: boolean,
    private readonly cport: number,
    private readonly sport: number,
    isnC: number,
    isnS: number,
  ) {
    this.next = [isnC >>> 0, isnS >>> 0];
  }

  private ts(dir: 0 | 1): number[] {
    const b = [1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0];
    const v = 1000 + this.tr.t;
    b[4] = v >>> 24; b[5] = (v >>> 16) & 255; b[6] = (v >>> 8) & 255; b[7] = (v + dir) & 255;
    return b;
  }

  /** One segment at the side's next sequence number (or at `seq`: a retransmission, out of order). */
  seg(dir: 0 | 1, flags: number, data: Uint8Array = new Uint8Array(0), o: { seq?: number; opts?: number[]; win?: number; advance?: boolean; dt?: number } = {}): number {
    const seq = o.seq ?? this.next[dir];
    const [sp, dp] = dir === 0 ? [this.cport, this.sport] : [this.sport, this.cport];
    const ackNo = flags & ACK ? this.next[1 - dir] : 0;
    const l4 = tcpSeg(sp, dp, seq, ackNo, flags, o.win ?? 512, o.opts ?? (flags & SYN ? SYN_OPTS : this.ts(dir)), data);
    this.tr.push(this.v6, dir, l4, 6, o.dt ?? 1);
    if (o.advance ?? o.seq === undefined) this.next[dir] = (seq + data.length + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
    return seq;
  }

  handshake(): void {
    this.seg(0, SYN);
    this.seg(1, SYN | ACK);
    this.seg(0, ACK);
  }

  /** `data` in segments of at most `mss` bytes, PSH on the last. */
  send(dir: 0 | 1, data: Uint8Array, mss = 1448): void {
    for (let at = 0; at < data.length; at += mss) {
      const end = Math.min(data.length, at + mss);
      this.seg(dir, ACK | (end === data.length ? PSH : 0), data.subarray(at, end));
    }
  }

  ack(dir: 0 | 1): void {
    this.seg(dir, ACK);
  }

  close(first: 0 | 1): void {
    this.seg(first, FIN | ACK);
    this.seg((1 - first) as 0 | 1, FIN | ACK);
    this.seg(first, ACK);
  }
}

function body(n: number, line: string): Uint8Array {
  let s = '';
  while (s.length < n) s += line;
  return bytes(s.slice(0, n));
}

function response(status: string, headers: string[], b: Uint8Array): Uint8Array {
  return concat(bytes(`HTTP/1.1 ${status}\r\n${headers.map((h) => h + '\r\n').join('')}\r\n`), b);
}

function request(method: string, uri: string, headers: string[], b: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concat(bytes(`${method} ${uri} HTTP/1.1\r\nHost: example.com\r\nUser-Agent: warm/1.0\r\n${headers.map((h) => h + '\r\n').join('')}\r\n`), b);
}

/** An HTTP/1.1 connection with the message shapes the reassembly handles differently. */
function http(tr: Trace, v6: boolean, cport: number, sport: number): void {
  const c = new Conn(tr, v6, cport, sport, 3_000_000_000 + cport, 100_000 + cport);
  c.handshake();
  // a request in one segment; a text/html response over three
  c.send(0, request('GET', '/index.html', ['Accept: */*']));
  c.ack(1);
  c.send(1, response('200 OK', ['Content-Type: text/html; charset=utf-8', 'Content-Length: 1800', 'Server: warm'], body(1800, '<p>warm-up line</p>\n')), 700);
  c.ack(0);
  // a request split inside its header; a chunked JSON response over two segments
  c.send(0, request('GET', '/api/items?id=7', ['Accept: application/json']), 40);
  c.send(1, response('200 OK', ['Content-Type: application/json', 'Transfer-Encoding: chunked'], bytes('1b\r\n{"items":[1,2,3],"ok":true}\r\n0\r\n\r\n')), 90);
  c.ack(0);
  // a POST with a body; 304 without one
  c.send(0, request('POST', '/form', ['Content-Type: application/x-www-form-urlencoded', 'Content-Length: 11'], bytes('hello=world')));
  c.send(1, response('304 Not Modified', ['ETag: "w1"'], new Uint8Array(0)));
  // two requests in one segment, two responses in one segment
  c.send(0, concat(request('GET', '/a.txt', []), request('GET', '/b.bin', [])));
  c.send(1, concat(
    response('200 OK', ['Content-Type: text/plain', 'Content-Length: 5'], bytes('hello')),
    response('404 Not Found', ['Content-Type: application/octet-stream', 'Content-Length: 3'], bytes('\x00\x01\x02')),
  ));
  c.ack(0);
  // a response whose segments arrive out of order, one retransmitted
  c.send(0, request('GET', '/big.bin', []));
  const r = response('200 OK', ['Content-Type: application/octet-stream', 'Content-Length: 2000'], body(2000, 'x'));
  const s1 = c.seg(1, ACK, r.subarray(0, 800));
  const s2 = (s1 + 800) >>> 0, s3 = (s1 + 1600) >>> 0;
  c.seg(1, ACK, r.subarray(0, 800), { seq: s1, dt: 50 }); // retransmitted while the message waits
  c.seg(1, ACK, r.subarray(1600), { seq: s3 });
  c.ack(0); // an ACK while a later segment waits for the hole
  c.seg(1, ACK, r.subarray(800, 1600), { seq: s2 });
  c.seg(1, ACK, r.subarray(800, 1600), { seq: s2, dt: 200 });
  c.seg(1, ACK | PSH, new Uint8Array(0), { seq: (s1 + r.length) >>> 0, advance: false });
  // (the sender's next sequence number after the whole response)
  c.seg(1, ACK, new Uint8Array(0), { seq: (s1 + r.length) >>> 0, advance: true });
  c.ack(0);
  // a response nobody asked for (its request was before the capture)
  c.send(1, response('200 OK', ['Content-Type: text/plain', 'Content-Length: 2'], bytes('ok')));
  // a response without a length, ended by the server's FIN
  c.send(0, request('GET', '/stream', ['Connection: close']));
  c.send(1, response('200 OK', ['Content-Type: text/plain', 'Connection: close'], body(1000, 'stream ')), 600);
  c.close(1);
}

// ---- DNS ------------------------------------------------------------------------------------

function name(n: string): number[] {
  const out: number[] = [];
  for (const part of n.split('.')) {
    out.push(part.length);
    for (let i = 0; i < part.length; i++) out.push(part.charCodeAt(i));
  }
  out.push(0);
  return out;
}

function u16(v: number): number[] {
  return [(v >> 8) & 255, v & 255];
}

function rr(nm: number[], type: number, rdata: number[], ttl = 300): number[] {
  return [...nm, ...u16(type), 0, 1, 0, 0, (ttl >> 8) & 255, ttl & 255, ...u16(rdata.length), ...rdata];
}

function dnsMsg(id: number, flags: number, q: string, qtype: number, an: number[][], ns: number[][] = [], ar: number[][] = []): Uint8Array {
  const h = [...u16(id), ...u16(flags), 0, 1, ...u16(an.length), ...u16(ns.length), ...u16(ar.length)];
  return new Uint8Array([...h, ...name(q), ...u16(qtype), 0, 1, ...an.flat(), ...ns.flat(), ...ar.flat()]);
}

const PTR_Q = 0xc0, PTR_QN = 12; // a compression pointer to the question's name

/** Query / response pairs of the record types the DNS dissector writes differently. */
function dnsPairs(): [Uint8Array, Uint8Array][] {
  const qn = [PTR_Q, PTR_QN];
  const opt = [0, ...u16(41), ...u16(1232), 0, 0, 0x80, 0, 0, 0];
  const out: [Uint8Array, Uint8Array][] = [];
  const pair = (id: number, q: string, t: number, an: number[][], ns: number[][] = [], rcode = 0): void => {
    out.push([dnsMsg(id, 0x0100, q, t, [], [], [opt]), dnsMsg(id, 0x8180 | rcode, q, t, an, ns, [opt])]);
  };
  pair(0x1a01, 'www.example.com', 1, [rr(qn, 5, name('web.example.net')), rr(name('web.example.net'), 1, [93, 184, 216, 34])]);
  pair(0x1a02, 'www.example.com', 28, [rr(qn, 28, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x34])]);
  pair(0x1a03, 'nothing.example.com', 1, [], [rr(name('example.com'), 6, [...name('ns.example.com'), ...name('admin.example.com'), 0, 0, 0, 1, 0, 0, 0x0e, 0x10, 0, 0, 7, 8, 0, 0x12, 0x75, 0, 0, 0, 1, 0x2c])], 3);
  pair(0x1a04, '34.216.184.93.in-addr.arpa', 12, [rr(qn, 12, name('web.example.net'))]);
  pair(0x1a05, 'example.com', 15, [rr(qn, 15, [0, 10, ...name('mail.example.com')])]);
  pair(0x1a06, 'example.com', 16, [rr(qn, 16, [11, ...bytes('v=spf1 -all')])]);
  pair(0x1a07, '_sip._tcp.example.com', 33, [rr(qn, 33, [0, 1, 0, 5, 0x13, 0xc4, ...name('sip.example.com')])]);
  return out;
}

function udpDgram(sp: number, dp: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + payload.length);
  b[0] = sp >> 8; b[1] = sp & 255; b[2] = dp >> 8; b[3] = dp & 255;
  b[4] = b.length >> 8; b[5] = b.length & 255;
  b.set(payload, 8);
  return b;
}

// ---- ICMP, ARP ------------------------------------------------------------------------------

function icmpEcho(type: number, id: number, seq: number): Uint8Array {
  const b = new Uint8Array(8 + 32);
  b[0] = type;
  b[4] = id >> 8; b[5] = id & 255; b[6] = seq >> 8; b[7] = seq & 255;
  for (let i = 8; i < b.length; i++) b[i] = i;
  return b;
}

/** ICMP port unreachable quoting an IPv4/UDP header. */
function icmpUnreachable(): Uint8Array {
  const b = new Uint8Array(8 + 28);
  b[0] = 3; b[1] = 3;
  const ip = 8;
  b[ip] = 0x45; b[ip + 3] = 28 + 12; b[ip + 8] = 64; b[ip + 9] = 17;
  b.set([10, 0, 0, 2], ip + 12);
  b.set([10, 0, 0, 1], ip + 16);
  b.set([0x9c, 0x40, 0x01, 0xbb, 0, 20, 0, 0], ip + 20);
  return b;
}

function neighbourSolicitation(): Uint8Array {
  const b = new Uint8Array(32);
  b[0] = 135;
  b.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 8);
  b[24] = 1; b[25] = 1; // source link-layer address option
  b.set([0x02, 0, 0, 0, 0, 1], 26);
  return b;
}

function arp(op: number): Frame['data'] {
  const b = new Uint8Array(42);
  b.fill(0xff, 0, 6);
  b.set([2, 0, 0, 0, 0, 1], 6);
  b[12] = 0x08; b[13] = 0x06;
  b.set([0, 1, 0x08, 0, 6, 4, 0, op], 14);
  b.set([2, 0, 0, 0, 0, 1, 10, 0, 0, 1], 22);
  b.set([10, 0, 0, 2], 38);
  return b;
}

/** The warm-up capture (Ethernet, ns timestamps, numbered from 1, times increasing). */
export function readWarmupFrames(): Frame[] {
  const tcp = warmupFrames();
  const last = tcp[tcp.length - 1];
  const tr = new Trace(last.ts + 1_000_000_000n, last.index + 1);
  for (const [v6, cport, sport] of [[false, 41000, 80], [true, 41001, 80], [false, 41002, 8080]] as const) http(tr, v6, cport, sport);
  // DNS over UDP, both address families; then over TCP, a response split over two segments
  const pairs = dnsPairs();
  pairs.forEach(([q, r], k) => {
    const v6 = k % 3 === 2;
    tr.push(v6, 0, udpDgram(53000 + k, 53, q), 17);
    tr.push(v6, 1, udpDgram(53, 53000 + k, r), 17);
  });
  const d = new Conn(tr, false, 42000, 53, 7000, 9000);
  d.handshake();
  const [q, r] = pairs[0];
  d.send(0, concat(new Uint8Array(u16(q.length)), q));
  d.send(1, concat(new Uint8Array(u16(r.length)), r), 30);
  d.seg(1, FIN | ACK | PSH, new Uint8Array(4)); // data and FIN before the ACK of the response (bytes in flight at a FIN)
  d.close(0);
  // ICMP and ICMPv6, ARP, UDP without a dissector
  tr.push(false, 0, icmpEcho(8, 0x77, 1), 1);
  tr.push(false, 1, icmpEcho(0, 0x77, 1), 1);
  tr.push(false, 1, icmpUnreachable(), 1);
  tr.push(true, 0, icmpEcho(128, 0x78, 1), 58);
  tr.push(true, 1, icmpEcho(129, 0x78, 1), 58);
  tr.push(true, 0, neighbourSolicitation(), 58);
  tr.push(false, 0, udpDgram(40000, 40001, bytes('plain datagram')), 17);
  const frames = [...tcp, ...tr.frames];
  let ts = tr.frames[tr.frames.length - 1].ts;
  for (const op of [1, 2]) frames.push({ index: frames.length + 1, ts: (ts += 1_000_000n), tsPrecision: 9, linkType: 1, ifIndex: 0, data: arp(op), origLen: 60 });
  // (plain Uint8Arrays, as the capture reader's frames: code optimised for one kind of typed array
  // is thrown away at the first of another, such as a Buffer)
  return frames;
}

