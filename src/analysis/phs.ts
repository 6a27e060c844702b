// Protocol hierarchy statistics: `wiretrace read FILE -q -z io,phs[,FILTER]`, as tshark's -z io,phs.
//
// tshark walks the top-level items of each packet's tree (ui/cli/tap-protohierstat.c): the first
// is the root's child, each next one a child of the one before; every item counts the frame and
// its length (frame.len). Siblings keep the order they were first seen. The items are not quite
// frame.protocols: no "ethertype" (a layer with no tree item), the quoted packet of an ICMP error
// stays inside ICMP's item, so does an HTTP body without a Content-Type, "tcp.segments" (the reassembled-segments item) comes after the
// protocols of the message it carried (before those of the rest of its segment), the packet's comments ("pkt_comment") come first, and a packet cut by the
// snaplen or malformed ends in "_ws.short" / "_ws.malformed". The display filter -Y does not apply
// (tshark's taps see every packet); the filter after io,phs does.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import type { Analyzer } from '../pipeline.js';
import { protocolsPart, undissectedTcpData } from './frame-protocols.js';
import { quic, type QuicD } from '../../dissectors/quic.js';
import { tlsQuic } from '../../dissectors/tls.js';
import { MALFORMED_SUFFIX, problemSuffix, TRUNCATED_SUFFIX } from '../output/table.js';

/** frame.protocols parts that are not items of their own in tshark's tree. */
const NOT_ITEMS = new Set(['ethertype', 'mptcp', 'ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'ipv6.shim6', 'ipv6.mipv6']);

class Node {
  frames = 0;
  bytes = 0;
  readonly children: Node[] = [];
  constructor(readonly name: string) {}
  child(name: string): Node {
    for (const c of this.children) if (c.name === name) return c;
    const c = new Node(name);
    this.children.push(c);
    return c;
  }
}

/** Layers of a quoted packet (ICMP error) whose items stay inside ICMP's: the headers. */
const QUOTED_INSIDE = new Set(['ip', 'ipv6', 'udp', 'tcp', 'icmp', 'icmpv6', 'data']);

/** The reassembled buffer of a tcp.segments item not placed yet; whether decrypted TLS records were joined. */
interface Segs {
  segments: Uint8Array | null;
  tlsSegments?: boolean;
}

function items(layers: readonly Layer[], out: string[], quoted: boolean, st: Segs): void {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const proto = l.dis.proto;
    if (proto === 'frame' || undissectedTcpData(layers, i)) continue;
    // the TLS handshake in QUIC's CRYPTO frames is inside QUIC's item; an SMB2 security blob inside SMB2's
    if (l.dis === tlsQuic || proto === 'gss-api' || proto === 'spnego' || proto === 'ntlmssp') continue;
    // an item of its own in tshark's tree, though not a name in frame.protocols
    if (proto === 'basicxid') {
      out.push(proto);
      continue;
    }
    const prev = i > 0 ? layers[i - 1].proto : '';
    // decrypted TLS records joined into one message: an item after the protocols, before TCP's
    if (proto === 'tls.segments') {
      st.tlsSegments = true;
      continue;
    }
    if (proto === 'tcp.segments') {
      // the item is there only for a message from two segments or more
      if ((l.d as { segs: unknown[] }).segs.length > 1) st.segments = l.buf;
      continue;
    }
    // it comes after the reassembled message's items, before those of the rest of the segment (a record
    // it starts: "tls, tcp.segments, tls")
    if (st.segments !== null && l.buf !== st.segments) {
      out.push('tcp.segments');
      st.segments = null;
    }
    // the echo data of ICMP, the payload of an unknown GRE protocol type, and IPv6's AH, are inside the
    // item before them
    if ((proto === 'data' && (prev === 'icmp' || prev === 'icmpv6' || prev === 'gre')) || (proto === 'ah' && prev === 'ipv6')) continue;
    // RTP whose header is cut throws before its item is added (frame.protocols names it all the same)
    if (proto === 'rtp' && !(l.d as { ok: boolean }).ok) continue;
    // a tunnelled Ethernet frame shorter than its header: tshark throws before it adds the item (the
    // name is in frame.protocols; the malformed item goes under the tunnel's)
    if (proto === 'eth' && i > 1 && l.end - l.start < 14) continue;
    if (!(quoted && QUOTED_INSIDE.has(proto))) {
      let part = protocolsPart(l);
      // PPTP's data (an unknown message type) and the packet an LCP Protocol-Reject quotes are inside its item;
      // SMB's mailslot, a second NBSS message in a segment and each further command of an SMB2 chain are
      // items though not in frame.protocols; the X.509 protocols after TLS's (x509sat, x509ce, …) are
      // inside TLS's item; SIP's body (SDP, text, XML) is inside SIP's item, and each SIP message of a TCP
      // segment (RTCP packet of a compound datagram) is an item
      if (proto === 'pptp' || proto === 'lcp' || proto === 'mailslot' || proto === 'nbss' || proto === 'smb2' || proto === 'tls' || proto === 'sip' || proto === 'rtcp') part = proto;
      let last = '';
      for (const p of part === '' ? [] : part.split(':')) {
        // "igmp:igmp": one item; WebSocket's "http:websocket": no HTTP item; raw IP's "ip" before IPv6
        if (NOT_ITEMS.has(p) || p === last || (p === 'http' && proto === 'websocket') || (p === 'ip' && proto === 'iplink') || (p === 'data' && last === 'http' && !typedBody(l))) continue;
        out.push(p);
        last = p;
      }
    }
    // each further QUIC packet of the datagram (and padding after them) is a "QUIC IETF" item of its own
    if (l.dis === quic) for (let k = (l.d as QuicD).items; k > 1; k--) out.push('quic');
    if (l.inner !== null) items(l.inner, out, true, st);
  }
}

/**
 * An HTTP message whose body has a Content-Type: tshark hands it to the media type's dissector (data
 * for types it does not know: an item of its own); a body without one is a field of HTTP's item.
 */
function typedBody(l: Layer): boolean {
  return l.dis.proto === 'http' && (l.d as { head: { contentType: string | null } | null }).head?.contentType != null;
}

/** The top-level tree items of a packet, in tshark's order (see the file comment). */
export function phsItems(pkt: Packet): string[] {
  const out: string[] = [];
  if (pkt.frame.comments !== undefined && pkt.frame.comments.length > 0) out.push('pkt_comment');
  const st: Segs = { segments: null };
  items(pkt.layers, out, false, st);
  if (st.tlsSegments === true) out.push('tls.segments');
  if (st.segments !== null) out.push('tcp.segments');
  const suffix = problemSuffix(pkt.layers);
  if (suffix === TRUNCATED_SUFFIX) out.push('_ws.short');
  else if (suffix === MALFORMED_SUFFIX) out.push('_ws.malformed');
  return out;
}

export class ProtocolHierarchy {
  private readonly root = new Node('');
  constructor(readonly filterText: string) {}

  add(pkt: Packet): void {
    this.count(phsItems(pkt), pkt.frame.origLen);
  }

  /** Count one frame of `len` bytes along a chain of items. */
  count(items: readonly string[], len: number): void {
    let n = this.root;
    for (const name of items) {
      n = n.child(name);
      n.frames++;
      n.bytes += len;
    }
  }

  /** tshark's text, byte for byte. */
  text(): string {
    const rule = '='.repeat(67) + '\n';
    let s = '\n' + rule + 'Protocol Hierarchy Statistics\n' + `Filter: ${this.filterText}\n\n`;
    const draw = (nodes: readonly Node[], depth: number): void => {
      for (const n of nodes) {
        // two spaces a level ("..." past 16 levels), in a line of at most 79 characters
        let label = depth > 16 ? '  '.repeat(16) + '...' : '  '.repeat(depth);
        label = (label + n.name).slice(0, 79);
        s += `${label.padEnd(40)} frames:${n.frames} bytes:${n.bytes}\n`;
        draw(n.children, depth + 1);
      }
    };
    draw(this.root.children, 0);
    return s + rule;
  }
}

/** An analyzer (run after every other one: it reads the packet's final layers) feeding a hierarchy. */
export function phsAnalyzer(phs: ProtocolHierarchy, filter: { test(pkt: Packet): boolean } | null): Analyzer {
  return {
    name: 'protocol hierarchy',
    packet(pkt) {
      if (filter === null || filter.test(pkt)) phs.add(pkt);
    },
  };
}
