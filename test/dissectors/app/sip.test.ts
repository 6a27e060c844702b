// SIP and SDP (dissectors/sip.ts, sdp.ts) against tshark 4.0.17: fixtures/sip-messages.pcap (scripts/sip-fixture.py:
// an INVITE dialog with SDP offer and answer and a retransmitted INVITE, REGISTER with 401 and the bindings
// cases, OPTIONS, MESSAGE, SUBSCRIBE/NOTIFY, CANCEL and 487, compact headers, damaged messages) and
// fixtures/sip-sipp.pcap (two calls between sipp's UAC and UAS, scripts/sip-sipp.sh), in columns,
// frame.protocols and the sip.*/sdp.* keys (scripts/sip-fixture.sh); the tree of an INVITE with SDP; every
// prefix of a message and random bytes on 5060.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { udpFrame } from '../../helpers/packets.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { dissectorErrors, expectClean } from '../../helpers/problems.js';
import type { Frame } from '../../../src/capture/types.js';
import { tcpFrame, ACK, PSH, SYN } from '../../helpers/tcp-frames.js';
import { runFrames } from '../../analysis/app/lib.js';

const FIX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const MESSAGES = join(FIX, 'sip-messages.pcap');
const SIPP = join(FIX, 'sip-sipp.pcap');
const TCP = join(FIX, 'sip-tcp.pcap');
const RTP = join(FIX, 'sip-rtp.pcap');

const INVITE = new TextEncoder().encode(
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1;rport\r\n' +
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=1\r\nTo: <sip:bob@biloxi.example.com>\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n' +
    'Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=60, *\r\nWWW-Authenticate: Digest realm="r", nonce="n"\r\n' +
    'Content-Type: application/sdp\r\nContent-Length: 120\r\n\r\n' +
    'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 10.0.0.255/127/2\r\nb=AS:64\r\nt=0 0\r\nm=audio 49170/2 RTP/AVP 0 101\r\na=fmtp:101 0-15\r\nz\r\n',
);

describe('SIP and SDP as tshark 4.0 shows them', () => {
  it('sip-messages.pcap: every cell equal', async () => {
    const want = readFileSync(MESSAGES + '.tshark.tsv', 'utf8');
    expect(want).toContain('SIP/SDP\tRequest: INVITE sip:bob@biloxi.example.com | \teth:ethertype:ip:udp:sip:sdp\t');
    expect(want).toContain('SIP\tStatus: 200 OK (REGISTER)  (1 binding) | \t');
    expect(want).toContain('SIP\tRequest: REGISTER sip:registrar.example.com  (remove all bindings) | \t');
    expect(want).toContain('SIP\tRequest: MESSAGE sip:user2@domain.com |  (text/plain)\teth:ethertype:ip:udp:sip:data-text-lines\t');
    expect(want).toContain('SIP\tRequest: INVITE sip:bob@biloxi.example.com[Malformed Packet]\t');
    expect(want).toContain('UDP\t5060 → 5060 Len=13\teth:ethertype:ip:udp:data\t');
    expect(await fieldsOf(MESSAGES, want)).toBe(want);
  });

  it('sip-sipp.pcap (real sipp calls): every cell equal', async () => {
    const want = readFileSync(SIPP + '.tshark.tsv', 'utf8');
    expect(want).toContain('SIP\tStatus: 200 OK (BYE) | \t');
    expect(await fieldsOf(SIPP, want)).toBe(want);
  });

  it('sip-tcp.pcap (SIP over TCP 5060: a message over three segments, two in one): every cell equal', async () => {
    const want = readFileSync(TCP + '.tshark.tsv', 'utf8');
    expect(want).toContain('TCP\t40123 → 5060 [PSH, ACK] Seq=201 Ack=1 Win=65535 Len=220 [TCP segment of a reassembled PDU]\t');
    expect(want).toContain('SIP\tStatus: 100 Trying | Status: 200 OK (INVITE) | \teth:ethertype:ip:tcp:sip\t');
    expect(await fieldsOf(TCP, want)).toBe(want);
  });

  it('sip-rtp.pcap (RTP on the streams the SDP offer and answer announced, RTCP after them): every cell equal, and the RTP trees', async () => {
    expect(readFileSync(RTP + '.tshark.tsv', 'utf8')).toContain('RTCP\tSender Report   Source description   \teth:ethertype:ip:udp:rtcp\t');
    const want = readFileSync(RTP + '.tshark.tsv', 'utf8');
    expect(want).toContain('RTP\tPT=ITU-T G.711 PCMU, SSRC=0x11223344, Seq=1000, Time=8000, Mark\teth:ethertype:ip:udp:rtp\t');
    expect(want).toContain('UDP\t49172 → 3458 Len=172\teth:ethertype:ip:udp:data\t');
    expect(want).toContain('UDP\t49170 → 3456 Len=10[Malformed Packet]\teth:ethertype:ip:udp:rtp\t');
    expect(await fieldsOf(RTP, want)).toBe(want);
    const tree = readFileSync(RTP + '.rtp.tshark.txt', 'utf8');
    const r = await runCli(['read', '-V', '--no-color', '-Y', 'rtp.ssrc', RTP]);
    const ours = r.out.split('\n\n').map((p) => p.slice(p.indexOf('Real-Time Transport Protocol'))).join('\n\n');
    expect(ours).toBe(tree);
  });

  it('random datagrams on an announced RTP port and the RTCP port after it: no dissector error', async () => {
    const reg = defaultRegistry();
    const ds = new Dissection(reg);
    ds.dissect(udpFrame(5060, 5060, INVITE));
    let seed = 3456;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 500; i++) {
      const p = Uint8Array.from({ length: rnd() % 60 }, rnd);
      const pkt = ds.dissect(udpFrame(40000, 49170, p));
      expectClean(pkt);
      if (p.length > 0) expect(pkt.layers.at(-1)!.proto).toBe('rtp');
      const q = Uint8Array.from({ length: rnd() % 120 }, rnd);
      if (i % 2 === 0 && q.length >= 4) q[2] = q[3] = 0; // a first packet of one word: more packets follow
      const pq = ds.dissect(udpFrame(40000, 49171, q));
      expectClean(pq);
      if (q.length > 0) expect(pq.layers.at(-1)!.proto).toBe('rtcp');
    }
  });

  it('the packet table of the four captures, as tshark prints it', async () => {
    for (const f of [MESSAGES, SIPP, TCP, RTP]) {
      const want = readFileSync(f + '.tshark.tsv', 'utf8').split('\n').slice(1, -1).map((r) => r.split('\t').slice(0, 2).join(' '));
      const r = await runCli(['read', '--no-color', f]);
      const got = r.out.split('\n').slice(0, -1).map((row) => {
        const m = /^\s*\d+\s+\S+\s+\S+ → \S+\s+(\S+) \d+ (.*)$/.exec(row);
        return m === null ? row : `${m[1]} ${m[2]}`;
      });
      expect(got).toEqual(want);
    }
  });

  it('-z io,phs of the four captures: the SDP body inside SIP, two SIP items for two messages in a segment, no RTP item for a cut header', async () => {
    for (const f of [MESSAGES, SIPP, TCP, RTP]) {
      const r = await runCli(['read', '-q', '-z', 'io,phs', f]);
      expect(r.out).toBe(readFileSync(f + '.tshark-phs.txt', 'utf8'));
    }
  });

  it('the SIP, SDP and RTP trees of every packet of the four captures', async () => {
    // tshark's parts that differ, by capture and packet (1-based among the packets with such a part):
    // the XML body's tree (wiretrace has no XML dissector), the E.164 parts of a user=phone URI, and how
    // a message cut in its headers ends (tshark's "[Malformed Packet: SIP]" exception text)
    const known: Record<string, number[]> = { [MESSAGES]: [24, 30, 34] };
    // (each SIP message of a TCP segment is a tree of its own, with no blank line between them)
    const sections = (text: string) => text.replace(/\n(?=Session Initiation|Real-Time|Real-time)/g, '\n\n').split('\n\n').flatMap((p) => {
      const i = p.search(/^(Session Initiation Protocol|Real-Time Transport Protocol|Real-time Transport Control Protocol)/m);
      return i < 0 ? [] : [p.slice(i)];
    });
    for (const f of [MESSAGES, SIPP, TCP, RTP]) {
      const want = sections(readFileSync(f + '.sip-trees.tshark.txt', 'utf8'));
      const r = await runCli(['read', '-V', '--no-color', f]);
      // an RTP header cut short: tshark throws before its RTP item exists (only the expert info is left)
      const got = sections(r.out).filter((x) => !x.startsWith('Real-Time Transport Protocol\n    [Expert Info (Error/Malformed): RTP header'));
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) if (!(known[f] ?? []).includes(i + 1)) expect(got[i], `${f} #${i + 1}`).toBe(want[i]);
    }
  });

  it('the tree of an INVITE with SDP', async () => {
    const want = readFileSync(MESSAGES + '.frame1.tshark.txt', 'utf8');
    const r = await runCli(['read', '-V', '--no-color', '-Y', 'frame.number == 1', MESSAGES]);
    expect(r.out.slice(r.out.indexOf('Session Initiation Protocol'))).toBe(want);
  });

  it('display filters and the packet table', async () => {
    const r = await runCli(['read', '-Y', 'sip.Method == "REGISTER" && sip.Contact', MESSAGES]);
    expect(r.out.trim().split('\n')).toHaveLength(6);
    const t = await runCli(['read', '-Y', 'sdp.media.port == 49170', SIPP]);
    expect(t.out).toBe('');
    const s = await runCli(['read', '-Y', 'sdp', SIPP]);
    expect(s.out.trim().split('\n')).toHaveLength(4);
  });

  it('every prefix of a message, and mutations of it: no dissector error', () => {
    const reg = defaultRegistry();
    for (let n = 0; n <= INVITE.length; n++) expectClean(new Dissection(reg).dissect(udpFrame(5060, 5060, INVITE.subarray(0, n))));
    let seed = 5060;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 500; i++) {
      const p = INVITE.slice();
      for (let k = 0; k < 1 + (i % 8); k++) p[rnd() % p.length] = [0x0d, 0x0a, 0x3a, 0x3b, 0x3c, 0x3e, 0x22, 0x2c, 0x20, 0x3d, rnd()][rnd() % 11];
      expectClean(new Dissection(reg).dissect(udpFrame(40000, 5060, p)));
    }
    for (let i = 0; i < 300; i++) {
      const p = Uint8Array.from({ length: rnd() % 80 }, rnd);
      expectClean(new Dissection(reg).dissect(udpFrame(5060, 40000, p)));
    }
  });

  it('random and mutated bytes on TCP 5060 (seeded, bounded): no exception, never a dissector error', () => {
    const seg = (index: number, toServer: boolean, cport: number, flags: number, seq: number, ack: number, payload?: Uint8Array): Frame => {
      const f = tcpFrame(index, index, toServer, cport, flags, seq, ack, payload);
      const at = toServer ? 36 : 34;
      f.data[at] = 5060 >> 8;
      f.data[at + 1] = 5060 & 255;
      return f;
    };
    let seed = 0x5060;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let conn = 0; conn < 60; conn++) {
      const cport = 30000 + conn;
      const frames: Frame[] = [seg(1, true, cport, SYN, 99, 0), seg(2, false, cport, SYN | ACK, 499, 100), seg(3, true, cport, ACK, 100, 500)];
      let c = 100, sv = 500;
      for (let k = 0; k < 6; k++) {
        const toServer = rnd() % 2 === 0;
        let p: Uint8Array;
        if (rnd() % 3 !== 0) {
          // a piece of a good message, a few bytes changed
          const a = rnd() % INVITE.length, b = Math.min(INVITE.length, a + 1 + rnd() * 2);
          p = INVITE.slice(rnd() % 2 === 0 ? 0 : a, b);
          for (let m = rnd() % 4; m > 0; m--) p[rnd() % p.length] = [0x0d, 0x0a, 0x3a, 0x30, rnd()][rnd() % 5];
        } else p = Uint8Array.from({ length: 1 + (rnd() % 80) }, rnd);
        frames.push(seg(frames.length + 1, toServer, cport, PSH | ACK, toServer ? c : sv, toServer ? sv : c, p));
        if (toServer) c += p.length;
        else sv += p.length;
      }
      const { rows, pkts } = runFrames(frames, ['sip.Method', 'sip.Status-Code', 'sdp.media']);
      expect(rows.length).toBe(frames.length);
      for (const pkt of pkts) expect(dissectorErrors(pkt.layers)).toEqual([]);
    }
  });

  it('bounded: an RTCP datagram of 300 one-word packets stops at 32 layers, the rest as data', () => {
    const ds = new Dissection(defaultRegistry());
    ds.dissect(udpFrame(5060, 5060, INVITE));
    const q = new Uint8Array(1200);
    for (let i = 0; i < q.length; i += 4) q.set([0x80, 201, 0, 0], i);
    const pkt = ds.dissect(udpFrame(40000, 49171, q));
    expectClean(pkt);
    expect(pkt.layers.filter((l) => l.proto === 'rtcp')).toHaveLength(32);
    expect(pkt.layers.at(-1)!.proto).toBe('data');
  });

  it('bounded: ten thousand header lines and a huge Content-Length', () => {
    const head = 'OPTIONS sip:a@b SIP/2.0\r\n' + 'Via: SIP/2.0/UDP h;branch=z\r\n'.repeat(10000) + 'Content-Length: 99999999999\r\n\r\nx';
    const pkt = new Dissection(defaultRegistry()).dissect(udpFrame(5060, 5060, new TextEncoder().encode(head).subarray(0, 60000)));
    expectClean(pkt);
    expect(pkt.layers.at(-1)!.proto).toBe('sip');
  });
});
