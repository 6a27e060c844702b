// frame.protocols: the protocols of a frame in order, as tshark lists them ("eth:ethertype:ip:tcp:http"),
// for -T fields, the tree ("[Protocols in frame: …]") and display filters (`frame.protocols contains "dns"`).
// Each layer gives its part (Dissector.protocolsPart, else its display-filter name); quoted packets
// (ICMP errors) follow the layer that quotes them. Built from the packet's final layers, so it comes from an
// analyzer that runs after those that add layers (TCP reassembly's HTTP and DNS), and only when read.

import type { Packet } from '../dissect/chain.js';
import type { Layer } from '../dissect/layer.js';
import type { Field } from '../dissect/types.js';
import type { Analyzer } from '../pipeline.js';
import { A_OUT_OF_ORDER, ANY_RETRANSMISSION } from './tcp/flags.js';

const NO_SUBDISSECTOR = ANY_RETRANSMISSION | A_OUT_OF_ORDER;

export const FRAME_PROTOCOLS_KEY = 'frame.protocols';

/**
 * tshark (tcp.no_subdissector_on_error, on by default) hands no retransmitted or out-of-order TCP
 * payload to a subdissector: no "data" after such a segment (layers[i] is that data layer).
 */
export function undissectedTcpData(layers: readonly Layer[], i: number): boolean {
  return layers[i].dis.proto === 'data' && i > 0 && layers[i - 1].proto === 'tcp' && (((layers[i - 1].ann as { flags?: number } | null)?.flags ?? 0) & NO_SUBDISSECTOR) !== 0;
}

/** A layer's part of frame.protocols ('' for none). */
export function protocolsPart(l: Layer): string {
  const dis = l.dis;
  return dis.protocolsPart !== undefined ? dis.protocolsPart(l) : dis.filterProto !== undefined ? dis.filterProto(l) : dis.proto;
}

function parts(layers: readonly Layer[], out: string[]): void {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    if (l.dis.proto === 'frame' || undissectedTcpData(layers, i)) continue;
    const p = protocolsPart(l);
    if (p !== '') out.push(p);
    if (l.inner !== null) parts(l.inner, out);
  }
}

export function frameProtocols(pkt: Packet): string {
  const out: string[] = [];
  parts(pkt.layers, out);
  return out.join(':');
}

function protocolsField(pkt: Packet): Field[] {
  const v = frameProtocols(pkt);
  return [{ key: FRAME_PROTOCOLS_KEY, label: 'Protocols in frame', value: v, show: v, start: 0, len: 0, generated: true }];
}
(protocolsField as { extraKeys?: readonly string[] }).extraKeys = [FRAME_PROTOCOLS_KEY];

export function frameProtocolsAnalyzer(): Analyzer {
  return {
    name: 'frame protocols',
    columns: false,
    fieldKeys: [FRAME_PROTOCOLS_KEY],
    affects: (key) => key === FRAME_PROTOCOLS_KEY,
    packet(pkt) {
      const fl = pkt.layers[0];
      if (fl !== undefined && fl.proto === 'frame') fl.addExtraLazy(protocolsField, pkt);
    },
  };
}
