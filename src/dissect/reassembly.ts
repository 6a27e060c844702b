// IP fragment reassembly (RFC 791 for IPv4, RFC 8200 §4.5 for IPv6), generic over the key.
//
// State lives in ctx.state.slots (the chain driver's per-capture state), never in a dissector:
//   const r = Reassembler.get(ctx.state, 'ipv4.frag');
//   const res = r.add(key, ctx.state.now, ctx.frame.index, offset, payloadView, more);
// Rules (as Wireshark's reassemble.c does them):
//  - fragments are ordered by offset, ties by arrival; when they overlap, the bytes of the one
//    that comes first in that order win ("first wins"), and the later one is flagged overlap
//    (and conflict when its bytes differ);
//  - the datagram length is the end of the fragment with more=false; bytes past it are cut
//    and that fragment is flagged tooLong;
//  - the datagram completes when the last fragment is known and [0, length) is covered;
//  - bounded: `maxTotal` bytes held in all datagrams (oldest evicted first), `maxPerDatagram`
//    bytes per datagram (further fragments dropped), `maxDatagrams` in flight (oldest evicted),
//    and a datagram not completed within `timeoutNs` of capture time since its first fragment
//    is dropped. Every drop is reported in `problems` so the dissector can put it on the frame.
//  - the same frame added twice (an output that dissects a frame again) is recognised by its
//    frame number: a completed result is returned again from a small cache, otherwise ignored.

import { fBool, fBytes, fUint, gen } from './fields.js';
import type { DissectState, Field } from './types.js';

export interface FragInfo {
  /** Frame number (frame.number) that carried the fragment. */
  frame: number;
  /** Byte offset in the datagram's payload and length as carried. */
  offset: number;
  len: number;
  overlap: boolean;
  conflict: boolean;
  tooLong: boolean;
}

export interface Reassembled {
  /** The reassembled payload (a fresh buffer). */
  buf: Uint8Array;
  /** Fragments in offset order (tshark's list order). */
  frags: FragInfo[];
}

export interface AddResult {
  /** Set on the frame that completes the datagram. */
  done: Reassembled | null;
  /** Messages about limits hit or timeouts (to report as problems on this frame). */
  problems: string[] | null;
}

export interface ReassemblyLimits {
  maxTotal: number;
  maxPerDatagram: number;
  maxDatagrams: number;
  timeoutNs: bigint;
}

export const DEFAULT_LIMITS: ReassemblyLimits = {
  maxTotal: 64 * 1024 * 1024,
  maxPerDatagram: 4 * 1024 * 1024,
  maxDatagrams: 4096,
  timeoutNs: 60_000_000_000n,
};

interface Frag {
  frame: number;
  offset: number;
  data: Uint8Array;
  seq: number;
}

interface Datagram {
  key: string;
  first: bigint;
  frags: Frag[];
  bytes: number;
  /** Length from the last fragment, -1 until seen. */
  total: number;
  frames: Set<number>;
}

/** Completed results kept for frames dissected again. */
const DONE_CACHE = 64;

export class Reassembler {
  private inFlight = new Map<string, Datagram>();
  private held = 0;
  private seq = 0;
  private done = new Map<string, Reassembled>();

  constructor(readonly limits: ReassemblyLimits = DEFAULT_LIMITS) {}

  /** The reassembler kept in `state.slots` under `slot`, made on first use. */
  static get(state: DissectState, slot: string, limits?: ReassemblyLimits): Reassembler {
    let r = state.slots.get(slot) as Reassembler | undefined;
    if (!r) {
      r = new Reassembler(limits);
      state.slots.set(slot, r);
    }
    return r;
  }

  /** Bytes currently held, datagrams in flight (for tests and stats). */
  get heldBytes(): number {
    return this.held;
  }
  get datagrams(): number {
    return this.inFlight.size;
  }

  add(key: string, now: bigint, frame: number, offset: number, data: Uint8Array, more: boolean): AddResult {
    let problems: string[] | null = null;
    const say = (m: string) => {
      (problems ??= []).push(m);
    };
    const cached = this.done.get(key + '#' + frame);
    if (cached) return { done: cached, problems: null };

    // timeouts: the map is in creation order, so the oldest come first
    for (const dg of this.inFlight.values()) {
      if (now - dg.first <= this.limits.timeoutNs) break;
      this.drop(dg);
      say(`fragment reassembly: datagram started in frame ${firstFrame(dg)} timed out after ${this.limits.timeoutNs / 1_000_000_000n} s incomplete and was dropped`);
    }

    let dg = this.inFlight.get(key);
    if (dg && dg.frames.has(frame)) return { done: null, problems }; // same frame seen again
    if (!dg) {
      while (this.inFlight.size >= this.limits.maxDatagrams) {
        const oldest = this.inFlight.values().next().value as Datagram;
        this.drop(oldest);
        say(`fragment reassembly: more than ${this.limits.maxDatagrams} datagrams in flight, the oldest (frame ${firstFrame(oldest)}) was dropped`);
      }
      dg = { key, first: now, frags: [], bytes: 0, total: -1, frames: new Set() };
      this.inFlight.set(key, dg);
    }
    if (dg.bytes + data.length > this.limits.maxPerDatagram) {
      say(`fragment reassembly: datagram exceeds ${this.limits.maxPerDatagram} bytes; fragment not kept`);
      return { done: null, problems };
    }
    while (this.held + data.length > this.limits.maxTotal && this.inFlight.size > 0) {
      const oldest = this.inFlight.values().next().value as Datagram;
      if (oldest === dg) break;
      this.drop(oldest);
      say(`fragment reassembly: memory cap of ${this.limits.maxTotal} bytes reached, the oldest datagram (frame ${firstFrame(oldest)}) was dropped`);
    }
    if (this.held + data.length > this.limits.maxTotal) {
      say(`fragment reassembly: memory cap of ${this.limits.maxTotal} bytes reached; fragment not kept`);
      return { done: null, problems };
    }

    dg.frags.push({ frame, offset, data: data.slice(), seq: this.seq++ });
    dg.frames.add(frame);
    dg.bytes += data.length;
    this.held += data.length;
    if (!more) {
      const end = offset + data.length;
      if (dg.total < 0) dg.total = end;
      else if (dg.total !== end) say(`fragment reassembly: last fragment says the datagram ends at ${end}, an earlier one said ${dg.total}`);
    }
    if (dg.total < 0) return { done: null, problems };

    // complete?
    const frags = dg.frags.slice().sort((a, b) => a.offset - b.offset || a.seq - b.seq);
    let pos = 0;
    for (const f of frags) {
      if (f.offset > pos) return { done: null, problems };
      pos = Math.max(pos, f.offset + f.data.length);
      if (pos >= dg.total) break;
    }
    if (pos < dg.total) return { done: null, problems };

    const total = dg.total;
    const out = new Uint8Array(total);
    const infos: FragInfo[] = [];
    pos = 0;
    for (const f of frags) {
      const fEnd = f.offset + f.data.length;
      const info: FragInfo = { frame: f.frame, offset: f.offset, len: f.data.length, overlap: false, conflict: false, tooLong: fEnd > total };
      if (f.offset < pos) {
        info.overlap = true;
        const oEnd = Math.min(pos, fEnd, total);
        for (let i = f.offset; i < oEnd; i++) {
          if (out[i] !== f.data[i - f.offset]) {
            info.conflict = true;
            break;
          }
        }
      }
      const from = Math.max(pos, f.offset);
      const to = Math.min(fEnd, total);
      if (to > from) out.set(f.data.subarray(from - f.offset, to - f.offset), from);
      pos = Math.max(pos, to);
      infos.push(info);
    }
    this.drop(dg);
    const res: Reassembled = { buf: out, frags: infos };
    this.done.set(key + '#' + frame, res);
    if (this.done.size > DONE_CACHE) this.done.delete(this.done.keys().next().value as string);
    return { done: res, problems };
  }

  private drop(dg: Datagram): void {
    this.inFlight.delete(dg.key);
    this.held -= dg.bytes;
  }
}

function firstFrame(dg: Datagram): number {
  let m = Infinity;
  for (const f of dg.frags) if (f.frame < m) m = f.frame;
  return m === Infinity ? 0 : m;
}

/**
 * The generated "N IPv4 Fragments (…)" subtree Wireshark shows on the frame that completes a datagram:
 * one line per fragment (with overlap / conflict / too-long marks), the count, the reassembled length
 * and data. `prefix` is the protocol's filter name ('ip' or 'ipv6'), `ver` its display name.
 */
export function fragmentTree(prefix: 'ip' | 'ipv6', ver: 'IPv4' | 'IPv6', r: Reassembled): Field {
  const total = r.buf.length;
  const kids: Field[] = [];
  for (const fr of r.frags) {
    const f = gen(fUint(prefix + '.fragment', 'Frame', fr.frame, 0, 0));
    f.text = `Frame: ${fr.frame}, payload: ${fr.offset}-${fr.offset + fr.len - 1} (${fr.len} bytes)`;
    const errs: Field[] = [];
    if (fr.overlap) errs.push(gen(fBool(prefix + '.fragment.overlap', 'Fragment overlap', true, 0, 0)));
    if (fr.conflict) errs.push(gen(fBool(prefix + '.fragment.overlap.conflict', 'Conflicting data in fragment overlap', true, 0, 0)));
    if (fr.tooLong) errs.push(gen(fBool(prefix + '.fragment.toolongfragment', 'Fragment too long', true, 0, 0)));
    if (errs.length) f.children = errs;
    kids.push(f);
  }
  kids.push(gen(fUint(prefix + '.fragment.count', 'Fragment count', r.frags.length, 0, 0)));
  kids.push(gen(fUint(prefix + '.reassembled.length', `Reassembled ${ver} length`, total, 0, 0)));
  const data = gen(fBytes(prefix + '.reassembled.data', `Reassembled ${ver} data`, r.buf, 0, total));
  data.len = 0;
  kids.push(data);
  const top = gen(fBytes(prefix + '.fragments', `${ver} Fragments`, r.buf, 0, total));
  top.len = 0;
  top.text = `${r.frags.length} ${ver} Fragments (${total} bytes): ` + r.frags.map((f) => `#${f.frame}(${f.len})`).join(', ');
  top.children = kids;
  return top;
}
