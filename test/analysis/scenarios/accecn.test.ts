// AccECN: the tracker decides per connection whether AE/CWR/ECE are the ACE counter, as tshark
// 4.0 does, and the TCP dissector's Info then says "ACE=n". Checked on the corpus capture and on
// variants of it made here (SYN / SYN/ACK flags changed, AccECN options replaced by NOPs), each
// with the Info that tshark 4.0.17 printed for the same bytes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import { Dissection } from '../../../src/dissect/chain.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { TcpTracker } from '../../../src/analysis/tcp/tracker.js';
import { TableFormatter } from '../../../src/output/table.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FILE = CORPUS_DIR + '/tcp-accecn-handshake.pcap';
const corpus = (() => {
  try {
    return readFileSync(FILE);
  } catch {
    return null;
  }
})();
if (!corpus) console.warn(`test/analysis/scenarios/accecn.test.ts: skipped: ${FILE} is not readable`);

const AE = 0x100, CWR = 0x80, ECE = 0x40, SYN = 0x02, ACK = 0x10;
const TCP_AT = 14 + 20; // Ethernet + IPv4 without options (true for every packet of this capture)

/** The capture's records (classic pcap, little-endian): [header (24 bytes), records]. */
function records(b: Buffer): [Buffer, Buffer[]] {
  const out: Buffer[] = [];
  for (let off = 24, n = 0; off + 16 <= b.length && n < 100; n++) {
    const cl = b.readUInt32LE(off + 8);
    out.push(Buffer.from(b.subarray(off, off + 16 + cl)));
    off += 16 + cl;
  }
  return [Buffer.from(b.subarray(0, 24)), out];
}
function setFlags(r: Buffer, f: number): void {
  const t = 16 + TCP_AT;
  r[t + 12] = (r[t + 12] & 0xfe) | ((f >> 8) & 1);
  r[t + 13] = f & 0xff;
}
/** Replace AccECN options (kind 172/174, or 254 with ExID 0xACC0/0xACC1) by NOPs. */
function dropAccEcnOptions(r: Buffer): void {
  const t = 16 + TCP_AT;
  const end = t + (r[t + 12] >> 4) * 4;
  for (let i = t + 20, n = 0; i < end && n < 40; n++) {
    const k = r[i];
    if (k === 0 || k === 1) {
      i++;
      continue;
    }
    const len = r[i + 1];
    if (len < 2) break;
    if (k === 172 || k === 174 || (k === 254 && r[i + 2] === 0xac && (r[i + 3] === 0xc0 || r[i + 3] === 0xc1))) r.fill(1, i, i + len);
    i += len;
  }
}

/** Info column of each packet after the dissector chain and the tracker. */
function infos(pcap: Buffer): string[] {
  const { frames, error } = parseCaptureBuffer(pcap);
  expect(error).toBe(null);
  const dis = new Dissection(defaultRegistry());
  const tracker = new TcpTracker();
  const table = new TableFormatter();
  return frames.map((f) => {
    const p = dis.dissect(f);
    tracker.packet(p);
    return table.row(p).parts.info;
  });
}

function variant(o: { flags?: Record<number, number>; noOptions?: boolean; drop?: number }): Buffer {
  const [hdr, recs] = records(corpus!);
  let rs = recs;
  if (o.noOptions) rs.forEach(dropAccEcnOptions);
  for (const [i, f] of Object.entries(o.flags ?? {})) setFlags(rs[Number(i)], f);
  if (o.drop !== undefined) rs = rs.filter((_, i) => i !== o.drop);
  return Buffer.concat([hdr, ...rs]);
}

describe.skipIf(!corpus)('AccECN (tcp-accecn-handshake.pcap)', () => {
  it('the corpus capture: the table Info equals tshark (ACE=2, ACE=5 after the AccECN handshake)', () => {
    const i = infos(corpus!);
    expect(i[0]).toBe('16433 → 80 [SYN, ECE, CWR, AE] Seq=0 Win=65535 Len=0 MSS=1460 WS=64 SACK_PERM TSval=112147477 TSecr=0');
    expect(i[1]).toBe('80 → 16433 [SYN, ACK, CWR] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=2783239876 TSecr=112147477 EE0B=1 ECEB=0 EE1B=0 WS=128');
    expect(i[2]).toBe('16433 → 80 [ACK, ACE=2] Seq=1 Ack=1 Win=65728 Len=0 TSval=112147698 TSecr=2783239876 EE0B=0 ECEB=16777215 EE1B=16777215');
    expect(i[4]).toBe('80 → 16433 [ACK, ACE=5] Seq=1 Ack=79 Win=65152 Len=0 TSval=2783239918 TSecr=112147698');
  });

  // Handshake rule without any AccECN option (as tshark 4.0.17 printed frames 3 and 5 of each variant).
  const cases: [string, { flags?: Record<number, number>; drop?: number }, boolean][] = [
    ['SYN AE+CWR+ECE, SYN/ACK CWR (010)', {}, true],
    ['SYN/ACK AE (100)', { flags: { 1: SYN | ACK | AE } }, true],
    ['SYN/ACK AE+CWR (110)', { flags: { 1: SYN | ACK | AE | CWR } }, true],
    ['SYN/ACK CWR+ECE (011)', { flags: { 1: SYN | ACK | CWR | ECE } }, true],
    ['SYN/ACK ECE (001: classic ECN)', { flags: { 1: SYN | ACK | ECE } }, false],
    ['SYN/ACK without ECN flags', { flags: { 1: SYN | ACK } }, false],
    ['SYN/ACK AE+ECE (101)', { flags: { 1: SYN | ACK | AE | ECE } }, false],
    ['SYN/ACK AE+CWR+ECE (111)', { flags: { 1: SYN | ACK | AE | CWR | ECE } }, false],
    ['SYN without ECN flags', { flags: { 0: SYN } }, false],
    ['SYN CWR+ECE (classic ECN setup)', { flags: { 0: SYN | CWR | ECE } }, false],
    ['SYN AE+CWR', { flags: { 0: SYN | AE | CWR } }, false],
    ['SYN not captured', { drop: 0 }, false],
    ['SYN/ACK not captured', { drop: 1 }, false],
  ];
  for (const [name, v, ace] of cases) {
    it(`no AccECN option; ${name}: ${ace ? 'ACE counter' : 'plain flags'} like tshark`, () => {
      const i = infos(variant({ ...v, noOptions: true }));
      const ack = i.filter((s) => / \[ACK.*\] Seq=1 Ack=1 Win/.test(s))[0];
      const srv = i.find((s) => s.startsWith('80 → 16433 [ACK') && s.includes('Ack=79'))!;
      if (ace) {
        expect(ack).toContain('[ACK, ACE=2]');
        expect(srv).toContain('[ACK, ACE=5]');
      } else {
        expect(ack).toContain('[ACK, CWR]');
        expect(srv).toContain('[ACK, ECE, AE]');
      }
    });
  }
});
