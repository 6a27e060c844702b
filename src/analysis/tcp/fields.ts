// The Wireshark-keyed fields of the TCP analysis (tcp.stream, relative numbers, tcp.analysis.*),
// built from a TcpAnalysis on demand. `show` strings equal tshark 4.0's -T fields output.

import { fStr, fText, fUint, gen, withChildren } from '../../dissect/fields.js';
import type { Field } from '../../dissect/types.js';
import * as F from './flags.js';
import { fmtSecNs } from './time.js';
import type { TcpAnalysis } from './tracker.js';

function u(key: string, label: string, v: number): Field {
  return gen(fUint(key, label, v, 0, 0));
}
function t(key: string, label: string, ns: number): Field {
  const s = fmtSecNs(ns);
  const f = gen(fStr(key, label, s, 0, 0));
  f.value = ns / 1e9;
  f.text = `${label}: ${s} seconds`;
  return f;
}
/** An FT_NONE item (a flag): tshark -T fields prints "1". */
function none(key: string, text: string): Field {
  const f = gen(fStr(key, text, '1', 0, 0));
  f.value = true;
  f.text = text;
  return f;
}
function int(key: string, label: string, v: number, text?: string): Field {
  const f: Field = { key, label, value: v, show: String(v), start: 0, len: 0, generated: true };
  if (text) f.text = text;
  return f;
}

/** Fields for layer.extra, in Wireshark's tree order. */
export function analysisFields(a: TcpAnalysis): Field[] {
  const out: Field[] = [
    u('tcp.stream', 'Stream index', a.stream),
    gen(fUint('tcp.seq', 'Sequence Number', a.seq, 0, 0)),
    gen(fUint('tcp.ack', 'Acknowledgment Number', a.ack, 0, 0)),
  ];
  out[1].text = `Sequence Number: ${a.seq}    (relative sequence number)`;
  out[2].text = `Acknowledgment Number: ${a.ack}    (relative ack number)`;
  if (a.nxtseq >= 0) {
    const nx = u('tcp.nxtseq', 'Next Sequence Number', a.nxtseq);
    nx.text = `Next Sequence Number: ${a.nxtseq}    (relative sequence number)`;
    out.splice(2, 0, nx);
  }
  const win = a.window >= 0 ? a.window : a.rawWindow;
  out.push(u('tcp.window_size', 'Calculated window size', win));
  if (a.scaleFactor === -1) out.push(int('tcp.window_size_scalefactor', 'Window size scaling factor', -1, 'Window size scaling factor: -1 (unknown)'));
  else if (a.scaleFactor === -2) out.push(int('tcp.window_size_scalefactor', 'Window size scaling factor', -2, 'Window size scaling factor: -2 (no window scaling used)'));
  else if (a.scaleFactor > 0) out.push(int('tcp.window_size_scalefactor', 'Window size scaling factor', a.scaleFactor));
  out.push(withChildren(gen(fText('Timestamps', 0, 0)), [
    t('tcp.time_relative', 'Time since first frame in this TCP stream', a.timeRel),
    t('tcp.time_delta', 'Time since previous frame in this TCP stream', a.timeDelta),
  ]));
  if (a.hasAnalysis) out.push(seqAckAnalysis(a));
  return out;
}

/**
 * Every key analysisFields can give ('' is the text nodes' key): a -T fields output wanting none of
 * them leaves the builder unrun (Layer.extraUnless).
 */
(analysisFields as { extraKeys?: readonly string[] }).extraKeys = [
  '', 'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', 'tcp.window_size_scalefactor',
  'tcp.time_relative', 'tcp.time_delta', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt', 'tcp.analysis.bytes_in_flight', 'tcp.analysis.flags', 'tcp.analysis.retransmission',
  'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.duplicate_ack',
  'tcp.analysis.rto', 'tcp.analysis.rto_frame', ...F.ANALYSIS_FLAGS.map((f) => f.key),
];

function seqAckAnalysis(a: TcpAnalysis): Field {
  const c: Field[] = [];
  if (a.acksFrame) {
    c.push(int('tcp.analysis.acks_frame', 'This is an ACK to the segment in frame', a.acksFrame, `This is an ACK to the segment in frame: ${a.acksFrame}`));
    // tshark shows the RTT only when it is not 0 ("only display RTT if we actually have something we are acking")
    if (a.ackRtt !== 0) c.push(t('tcp.analysis.ack_rtt', 'The RTT to ACK the segment was', a.ackRtt));
  }
  if (!Number.isNaN(a.initialRtt)) c.push(t('tcp.analysis.initial_rtt', 'iRTT', a.initialRtt));
  if (a.bif >= 0) c.push(int('tcp.analysis.bytes_in_flight', 'Bytes in flight', a.bif));
  if (a.flags !== 0) {
    const fl: Field[] = [];
    for (const fi of F.ANALYSIS_FLAGS) {
      if (!(a.flags & fi.bit)) continue;
      if (fi.bit === F.A_DUPLICATE_ACK) {
        fl.push(none(fi.key, 'This is a TCP duplicate ack'));
        continue;
      }
      fl.push(none(fi.key, fi.expert));
      // tshark adds the retransmission expert item to fast and spurious retransmissions too
      if (fi.bit === F.A_FAST_RETRANSMISSION || fi.bit === F.A_SPURIOUS_RETRANSMISSION) fl.push(none('tcp.analysis.retransmission', 'This frame is a (suspected) retransmission'));
    }
    if (a.why) for (const w of a.why) fl.push(gen(fText(`Rule: ${w}`, 0, 0)));
    c.push(withChildren(none('tcp.analysis.flags', 'TCP Analysis Flags'), fl));
    if (a.flags & F.A_DUPLICATE_ACK) {
      c.push(int('tcp.analysis.duplicate_ack_num', 'Duplicate ACK #', a.dupAckNum, `Duplicate ACK #: ${a.dupAckNum}`));
      c.push(int('tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame', a.dupAckFrame, `Duplicate to the ACK in frame: ${a.dupAckFrame}`));
      c.push(none('tcp.analysis.duplicate_ack', `Duplicate ACK (#${a.dupAckNum})`));
    }
    if (a.rto >= 0) {
      c.push(t('tcp.analysis.rto', 'The RTO for this segment was', a.rto));
      c.push(int('tcp.analysis.rto_frame', 'RTO based on delta from frame', a.rtoFrame, `RTO based on delta from frame: ${a.rtoFrame}`));
    }
  }
  return withChildren(gen(fText('SEQ/ACK analysis', 0, 0)), c);
}
