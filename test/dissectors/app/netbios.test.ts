// NetBIOS (dissectors/netbios.ts) against tshark 4.0.17: NBDGM on UDP 138 with SMB Trans / mailslot / BROWSER,
// and NBSS on TCP 139 through the TCP application analyzer. The columns, frame.protocols and the nbdgm.*,
// smb.*, mailslot.*, browser.* and nbss.* keys of fixtures/netbios-browser.pcap (scripts/netbios-fixture.py:
// every browser command, \MAILSLOT\LANMAN, an error datagram, query requests, datagrams cut by the snaplen,
// lengths that lie, a session with requests, responses, keep-alives, a request split over two segments, an
// SMB Negotiate request and an unknown type) and of the corpus's 13 NetBIOS rows, in .tshark.tsv files
// written by scripts/netbios-fixture.sh; the tree of one announcement against tshark -V.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection, walkFields, type Packet } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { msecsText, nbssLayer } from '../../../dissectors/netbios.js';
import { rowParts } from '../../../src/output/table.js';
import { runFrame, udpFrame } from '../../helpers/packets.js';
import { dissectorErrors, expectClean } from '../../helpers/problems.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { tcpFrame, ACK, PSH, SYN } from '../../helpers/tcp-frames.js';
import { runFrames } from '../../analysis/app/lib.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const PCAP = join(FX, 'netbios-browser.pcap');
const frames = parseCaptureBuffer(new Uint8Array(readFileSync(PCAP))).frames;

/** The problems of the NetBIOS layers of a packet. */
function problems(p: Packet): string[] {
  const out: string[] = [];
  for (const l of p.layers) if (['nbdgm', 'smb', 'mailslot', 'browser', 'nbss'].includes(l.proto)) for (const pr of l.problems ?? []) out.push(`${l.proto} ${pr.kind}: ${pr.message}`);
  return out;
}

describe('NetBIOS as tshark 4.0 shows it', () => {
  it('netbios-browser.pcap: every cell equal', async () => {
    const want = readFileSync(join(FX, 'netbios-browser.pcap.tshark.tsv'), 'utf8');
    const r = await fieldsLike(PCAP, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
    // what the comparison rests on, as tshark wrote it
    const rows = want.split('\n');
    expect(rows.length).toBe(42);
    const row = (n: number) => rows[n].split('\t').slice(0, 4).join('\t');
    expect(row(1)).toBe('1\tBROWSER\tHost Announcement ASUS, Workstation, Server, NT Workstation, Potential Browser\teth:ethertype:ip:udp:nbdgm:smb:browser');
    expect(row(5)).toBe('5\tBROWSER\tBrowser Election Request\teth:ethertype:ip:udp:nbdgm:smb:browser');
    expect(row(12)).toBe('12\tBROWSER\tHost Announcement, Workstation, Server OLDPC\teth:ethertype:ip:udp:nbdgm:smb:browser');
    expect(row(14)).toBe('14\tNBDS\tDatagram error\teth:ethertype:ip:udp:nbdgm');
    expect(row(17)).toBe('17\tSMB\tTrans Request[Packet size limited during capture]\teth:ethertype:ip:udp:nbdgm:smb');
    expect(row(18)).toBe('18\tNBDS\tDirect_group datagram[Packet size limited during capture]\teth:ethertype:ip:udp:nbdgm');
    expect(row(20)).toBe('20\tSMB\tTrans Request[Malformed Packet]\teth:ethertype:ip:udp:nbdgm:smb');
    expect(row(21)).toBe('21\tBROWSER\tHost Announcement ASUS, Workstation, Server, NT Workstation, Potential Browser[Malformed Packet]\teth:ethertype:ip:udp:nbdgm:smb:browser');
    expect(row(22)).toBe('22\tNBDS\tDirect_group datagram\teth:ethertype:ip:udp:nbdgm:data');
    expect(row(26)).toBe('26\tNBSS\tSession request, to FILESRV<20> from DESKTOP-7<00>\teth:ethertype:ip:tcp:nbss');
    expect(row(28)).toBe('28\tTCP\tSession request [TCP segment of a reassembled PDU]\teth:ethertype:ip:tcp');
    expect(row(34)).toBe('34\tNBSS\tSession keep-alive\teth:ethertype:ip:tcp:nbss');
    expect(row(36)).toBe('36\tSMB\tNegotiate Protocol Request\teth:ethertype:ip:tcp:nbss:smb');
    expect(row(37)).toBe('37\tNBSS\tNBSS Continuation Message\teth:ethertype:ip:tcp:nbss');
    expect(want).toContain('\tROUTER,NAS\t');
    expect(want).toContain('\t0x85,0x85\t0x00,0x00\t0,0\t0,0\t');
  });

  it("the corpus's 13 NetBIOS rows (8 BROWSER, 5 NBSS keep-alives): every cell equal", async () => {
    const want = readFileSync(join(FX, 'netbios-corpus.tshark.tsv'), 'utf8');
    expect(want.split('\n').length).toBe(15);
    expect(want).toContain('1242\tBROWSER\tLocal Master Announcement ROUTER, Workstation, Server, Print Queue Server, Xenix Server, NT Workstation, NT Server, Master Browser, DFS server\teth:ethertype:ip:udp:nbdgm:smb:browser\t17\t0x0a');
    expect(want).toContain('58\tNBSS\tSession keep-alive\teth:ethertype:ip:tcp:nbss\t');
    const keys = want.split('\n')[0].split('\t');
    const r = await runCli(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', '-Y', 'nbdgm or nbss', ...keys.flatMap((k) => ['-e', k]), join(CORPUS_DIR, 'mixed-wireshark-samples-nrb.pcapng')]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
  });

  it('the tree of a host announcement equals tshark -V (NBDGM, SMB header, Trans request, mailslot, browser, server type bits)', async () => {
    const want = readFileSync(join(FX, 'netbios-browser.pcap.frame1.tshark.txt'), 'utf8');
    expect(want).toContain('    Server Type: 0x00011003, Workstation, Server, NT Workstation, Potential Browser\n');
    const r = await runCli(['read', '-V', '-Y', 'frame.number == 1', PCAP]);
    expect(r.code).toBe(0);
    expect(r.out.slice(r.out.indexOf('NetBIOS Datagram Service'))).toBe(want);
  });

  it('-z io,phs equals tshark: the mailslot an item of its own (not in frame.protocols), a second NBSS message in a segment too', async () => {
    const want = readFileSync(join(FX, 'netbios-browser.pcap.tshark-phs.txt'), 'utf8');
    expect(want).toContain('          mailslot                       frames:15 bytes:3465\n            browser                      frames:15 bytes:3465\n');
    expect(want).toContain('      nbss                               frames:11 bytes:914\n');
    expect(want).toContain('        nbss                             frames:1 bytes:62\n');
    const r = await runCli(['read', '-q', '-z', 'io,phs', PCAP]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
  });

  it('cut and lying bytes: truncated by the snaplen, malformed where a length lies', () => {
    const reg = defaultRegistry();
    const pk = (n: number) => new Dissection(reg).dissect(frames[n - 1]);
    expect(problems(pk(1))).toEqual([]);
    expect(problems(pk(17))).toEqual(['smb truncated: SMB Trans request: captured data ends here (cut by snaplen)']);
    expect(problems(pk(18))).toEqual(['nbdgm truncated: NBDGM header: captured data ends here (cut by snaplen)']);
    // a datagram length that lies: marked on the field, Info unmarked as in tshark
    expect(problems(pk(19))).toEqual(['nbdgm malformed: NBDGM datagram length 900 does not match the 188 bytes after the header']);
    expect(rowParts(pk(19).layers).info).toBe('Host Announcement ASUS, Workstation, Server');
    expect(problems(pk(20))).toEqual(['smb malformed: SMB Trans request: runs past the end of the data']);
    expect(problems(pk(21))).toEqual(['browser malformed: BROWSER message: runs past the end of the data']);
  });

  it('time texts as tshark writes them', () => {
    expect(msecsText(720000)).toBe('12 minutes');
    expect(msecsText(60000)).toBe('1 minute');
    expect(msecsText(3723000)).toBe('1 hour, 2 minutes, 3 seconds');
    expect(msecsText(1000)).toBe('1 second');
  });
});

describe('NetBIOS: prefixes and random bytes', () => {
  const reg = defaultRegistry();
  const dissect = (p: Uint8Array) => new Dissection(reg).dissect(udpFrame(138, 138, p));
  // the host announcement of frame 1 (after Ethernet, IPv4 and UDP)
  const good = frames[0].data.slice(42);

  it('every prefix of a good datagram: no exception, the cut marked (malformed in a datagram that ends there, truncated under a snaplen), never a dissector error', () => {
    expect(rowParts(dissect(good).layers).info).toBe('Host Announcement ASUS, Workstation, Server, NT Workstation, Potential Browser');
    expect(problems(dissect(good))).toEqual([]);
    const whole = frames[0].data;
    for (let n = 1; n < good.length; n++) {
      // the datagram ends early (UDP says so): its datagram length or a read past the end is malformed
      const pkt = dissect(good.subarray(0, n));
      expect(() => walkFields(pkt.layers, () => undefined)).not.toThrow();
      expect(dissectorErrors(pkt.layers)).toEqual([]);
      const ps = problems(pkt);
      expect(ps.length, `prefix ${n}`).toBeGreaterThan(0);
      expect(ps.every((x) => x.includes(' malformed: ')), `prefix ${n}: ${ps}`).toBe(true);
      // the capture was cut by the snaplen: truncated
      const cut = runFrame(whole.slice(0, 42 + n), 1, whole.length);
      walkFields(cut.layers, () => undefined);
      expect(dissectorErrors(cut.layers)).toEqual([]);
      const cs = problems(cut);
      if (n >= 8) {
        expect(cs.length, `snaplen prefix ${n}`).toBeGreaterThan(0);
        expect(cs.every((x) => x.includes(' truncated: ')), `snaplen prefix ${n}: ${cs}`).toBe(true);
      }
    }
  });

  it('random and mutated datagrams on UDP 138 (seeded, bounded): no exception, no dissector failure', () => {
    let seed = 0x138;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const goods = frames.slice(0, 16).map((f) => f.data.slice(42));
    for (let i = 0; i < 2000; i++) {
      let p: Uint8Array;
      if (i % 2 === 0) {
        p = new Uint8Array(rnd() % 200);
        for (let k = 0; k < p.length; k++) p[k] = rnd();
        if (p.length > 0 && i % 4 === 0) p[0] = 0x10 + (rnd() % 7);
      } else {
        p = goods[i % goods.length].slice();
        for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) p[((rnd() << 8) | rnd()) % p.length] = rnd();
      }
      const pkt = dissect(p);
      expectClean(pkt);
    }
  });

  /** A segment of client 10.0.0.1:cport ↔ server 10.0.0.2:139. */
  function seg(index: number, toServer: boolean, cport: number, flags: number, seq: number, ack: number, payload?: Uint8Array): Frame {
    const f = tcpFrame(index, index, toServer, cport, flags, seq, ack, payload);
    const at = toServer ? 36 : 34;
    f.data[at] = 0;
    f.data[at + 1] = 139;
    return f;
  }
  // the session request, negative response, retarget, keep-alive and SMB Negotiate of the fixture
  const nbssGood = [26, 27, 30, 33, 36].map((n) => frames[n - 1].data.slice(54));

  it('every prefix of a session message read alone: no exception, a short one marked malformed', () => {
    for (const p of nbssGood) {
      for (let n = 1; n < p.length; n++) {
        const l = nbssLayer(p, 0, n, false);
        expect(() => l.fields()).not.toThrow();
        expect(dissectorErrors([l])).toEqual([]);
        const declared = 4 + ((p[1] & 1) << 16) + ((p[2] << 8) | p[3]);
        // a request whose names are cut, a response without its code or address, a header cut short
        if (n < 4 || (declared > 4 && n < declared && p[0] !== 0x00 && p[0] !== 0x85)) expect(l.problems?.length ?? 0, `prefix ${n} of type ${p[0]}`).toBeGreaterThan(0);
      }
    }
  });

  it('random and mutated bytes on TCP 139 (seeded, bounded): no exception, never a dissector error', () => {
    let seed = 0x139;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let conn = 0; conn < 150; conn++) {
      const cport = 20000 + conn;
      const fs: Frame[] = [seg(1, true, cport, SYN, 99, 0), seg(2, false, cport, SYN | ACK, 499, 100), seg(3, true, cport, ACK, 100, 500)];
      let c = 100, sv = 500;
      for (let k = 0; k < 6; k++) {
        const toServer = rnd() % 2 === 0;
        let p: Uint8Array;
        if (rnd() % 2 === 0) {
          p = nbssGood[rnd() % nbssGood.length].slice();
          for (let m = 1 + (rnd() % 4); m > 0; m--) p[rnd() % p.length] = rnd();
        } else {
          p = new Uint8Array(1 + (rnd() % 80));
          for (let i = 0; i < p.length; i++) p[i] = rnd();
          if (rnd() % 2 === 0) p[0] = [0x00, 0x81, 0x82, 0x83, 0x84, 0x85][rnd() % 6];
        }
        fs.push(seg(fs.length + 1, toServer, cport, PSH | ACK, toServer ? c : sv, toServer ? sv : c, p));
        if (toServer) c += p.length;
        else sv += p.length;
      }
      const { rows, pkts } = runFrames(fs, ['nbss.type', 'smb.cmd']);
      expect(rows.length).toBe(fs.length);
      for (const pkt of pkts) {
        walkFields(pkt.layers, () => undefined);
        expect(dissectorErrors(pkt.layers)).toEqual([]);
      }
    }
  });
});
