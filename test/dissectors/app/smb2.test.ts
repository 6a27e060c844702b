// SMB2/SMB3 (dissectors/smb2.ts) and GSS-API/SPNEGO/NTLMSSP (dissectors/ntlmssp.ts) against tshark 4.0.17, over
// direct-hosted TCP 445 and NBSS on TCP 139 through the TCP application analyzer. The columns, frame.protocols and
// the nbss.*, smb2.*, gss-api.*, spnego.*, ntlmssp.* and data.data keys of
//  - fixtures/smb2-samba.pcap: real traffic (scripts/smb2-capture.sh: Samba's smbd and smbclient in a private
//    network namespace; SMB 2.1 and 3.1.1 sessions with ls/get/put/mkdir/rename/rm/rmdir, a missing file, a wrong
//    password, an encrypted session, a session over NBSS 139; a Read response over 4 TCP segments);
//  - fixtures/smb2-edge.pcap: hand-built (scripts/smb2-fixture.py: 3.1.1 negotiate contexts, compound chains,
//    Flush, Lock, Echo, async Notify / Cancel, oplock break, pipe transceive, STATUS_END_OF_FILE, an unknown
//    command, a compression transform header, Logoff, a lying name length, a cut header, a snaplen cut);
// in .tshark.tsv files written by scripts/smb2-fixture.sh; -z io,phs of both.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { Dissection, walkFields } from '../../../src/dissect/chain.js';
import type { Layer } from '../../../src/dissect/layer.js';
import { defaultRegistry } from '../../../dissectors/index.js';
import { newSmb2Session, ntStatusText, smb2Layers } from '../../../dissectors/smb2.js';
import { dissectorErrors, problemsOf } from '../../helpers/problems.js';
import { fieldsLike, runCli } from '../../helpers/cli.js';
import { tcpFrame, ACK, PSH, SYN } from '../../helpers/tcp-frames.js';
import { runFrames } from '../../analysis/app/lib.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const SAMBA = join(FX, 'smb2-samba.pcap');
const EDGE = join(FX, 'smb2-edge.pcap');
const load = (p: string) => parseCaptureBuffer(new Uint8Array(readFileSync(p))).frames;

/** The one cell wiretrace does not write as tshark does: a Tree Connect cut by the snaplen (tshark's Info there is an artifact of its exception). */
const EDGE_INFO_31 = ['31\tSMB2\tTree Connect Request[BoundErrorUnreassembled Packet]\t', '31\tSMB2\tTree Connect Request[Packet size limited during capture]\t'];

describe('SMB2 as tshark 4.0 shows it', () => {
  it('smb2-samba.pcap (real Samba traffic, 314 frames): every cell equal', async () => {
    const want = readFileSync(join(FX, 'smb2-samba.pcap.tshark.tsv'), 'utf8');
    const r = await fieldsLike(SAMBA, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want);
    // what the comparison rests on, as tshark wrote it
    const rows = want.split('\n');
    expect(rows.length).toBe(316);
    const row = (n: number) => rows[n].split('\t').slice(0, 4).join('\t');
    expect(row(8)).toBe('8\tSMB2\tSession Setup Request, NTLMSSP_NEGOTIATE\teth:ethertype:ip:tcp:nbss:smb2:gss-api:spnego:ntlmssp');
    expect(row(10)).toBe('10\tSMB2\tSession Setup Response, Error: STATUS_MORE_PROCESSING_REQUIRED, NTLMSSP_CHALLENGE\teth:ethertype:ip:tcp:nbss:smb2:gss-api:spnego:ntlmssp');
    expect(row(11)).toBe('11\tSMB2\tSession Setup Request, NTLMSSP_AUTH, User: WORKGROUP\\wtsmb\teth:ethertype:ip:tcp:nbss:smb2:gss-api:spnego:ntlmssp:ntlmssp');
    expect(row(13)).toBe('13\tSMB2\tTree Connect Request Tree: \\\\127.0.0.1\\IPC$\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(17)).toBe('17\tSMB2\tIoctl Request FSCTL_DFS_GET_REFERRALS, File: \\127.0.0.1\\share\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(27)).toBe('27\tSMB2\tFind Request File:  SMB2_FIND_ID_BOTH_DIRECTORY_INFO Pattern: *\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(30)).toBe('30\tSMB2\tFind Response, Error: STATUS_NO_MORE_FILES SMB2_FIND_ID_BOTH_DIRECTORY_INFO Pattern: *\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(43)).toBe('43\tSMB2\tRead Request Len:21 Off:0 File: hello.txt\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(64)).toBe('64\tSMB2\tCreate Response, Error: STATUS_OBJECT_NAME_NOT_FOUND\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(121)).toBe('121\tTCP\tSession message [TCP segment of a reassembled PDU]\teth:ethertype:ip:tcp');
    expect(row(124)).toBe('124\tSMB2\tRead Response\teth:ethertype:ip:tcp:nbss:smb2:data');
    expect(row(137)).toBe('137\tSMB2\tSetInfo Request FILE_INFO/SMB2_FILE_RENAME_INFO File: up3.txt NewName:moved.txt\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(217)).toBe('217\tSMB2\tSession Setup Response, Error: STATUS_LOGON_FAILURE\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(233)).toBe('233\tSMB2\tEncrypted SMB3\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(270)).toBe('270\tNBSS\tSession request, to 127.0.0.1<20> from VM<00>\teth:ethertype:ip:tcp:nbss');
    expect(want).toContain('\tWTSRV\tWTSRV\tvm\t');
  });

  it('smb2-edge.pcap (hand-built, 34 frames): every cell equal but the Info of a snaplen-cut Tree Connect', async () => {
    const want = readFileSync(join(FX, 'smb2-edge.pcap.tshark.tsv'), 'utf8');
    expect(want).toContain(EDGE_INFO_31[0]);
    const r = await fieldsLike(EDGE, want);
    expect(r.code).toBe(0);
    expect(r.out).toBe(want.replace(EDGE_INFO_31[0], EDGE_INFO_31[1]));
    const rows = want.split('\n');
    const row = (n: number) => rows[n].split('\t').slice(0, 4).join('\t');
    expect(row(5)).toBe('5\tSMB2\tCreate Request File: dir\\file.txt;GetInfo Request FILE_INFO/SMB2_FILE_STANDARD_INFO;Close Request\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(16)).toBe('16\tSMB2\tNotify Response, Error: STATUS_PENDING\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(19)).toBe('19\tSMB2\tOplock Break Notification\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(21)).toBe('21\tSMB2\tIoctl Request FSCTL_PIPE_TRANSCEIVE File: dir\\file.txt\teth:ethertype:ip:tcp:nbss:smb2:data');
    expect(row(24)).toBe('24\tSMB2\tRead Response, Error: STATUS_END_OF_FILE\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(29)).toBe('29\tSMB2\tCreate Request[Malformed Packet]\teth:ethertype:ip:tcp:nbss:smb2');
    expect(row(30)).toBe('30\tSMB2\t[Malformed Packet]\teth:ethertype:ip:tcp:nbss:smb2');
  });

  it('the packet table equals tshark\'s rows', async () => {
    for (const [f, n] of [[SAMBA, 314], [EDGE, 34]] as const) {
      const r = await runCli(['read', f]);
      expect(r.code).toBe(0);
      const lines = r.out.trimEnd().split('\n');
      expect(lines.length).toBe(n);
    }
    const r = await runCli(['read', SAMBA]);
    expect(r.out).toMatch(/ SMB2 \d+ Session Setup Response, Error: STATUS_MORE_PROCESSING_REQUIRED, NTLMSSP_CHALLENGE\n/);
  });

  it('-z io,phs equals tshark: the security blob inside SMB2\'s item, each further command of a chain an item', async () => {
    for (const f of [SAMBA, EDGE]) {
      let want = readFileSync(`${f}.tshark-phs.txt`, 'utf8');
      // the snaplen-cut frame: tshark's "_ws.unreassembled" there is the artifact of the Info above
      if (f === EDGE) {
        expect(want).toContain('          smb2                           frames:2 bytes:824\n            smb2                         frames:2 bytes:824\n');
        want = want.replace('_ws.unreassembled ', '_ws.short         ');
      }
      const r = await runCli(['read', '-q', '-z', 'io,phs', f]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(want);
    }
  });

  it('request/response matching, tree and file names: smb2.response_in (late, as tshark -2) on the request', () => {
    const fs = load(SAMBA);
    const { pkts, rows } = runFrames(fs, ['smb2.response_to', 'smb2.tree']);
    const req = pkts[42].layers.find((l) => l.proto === 'smb2')!;
    const inKeys: string[] = [];
    walkFields([req], (f) => {
      if (f.key === 'smb2.response_in') inKeys.push(f.show);
    });
    expect(inKeys).toEqual(['44']);
    expect(rows[43].values.get('smb2.response_to')).toBe('43');
    expect(rows[43].values.get('smb2.tree')).toBe('\\\\127.0.0.1\\share');
  });

  it('NT status names as tshark writes them in Info, an unknown one in upper-case hex', () => {
    expect(ntStatusText(0)).toBe('STATUS_SUCCESS');
    expect(ntStatusText(0xc0000016)).toBe('STATUS_MORE_PROCESSING_REQUIRED');
    expect(ntStatusText(0x80000006)).toBe('STATUS_NO_MORE_FILES');
    expect(ntStatusText(0xc0000011)).toBe('STATUS_END_OF_FILE');
    // tshark: "Read Response, Error: Unknown (0xC0001234)"
    expect(ntStatusText(0xc0001234)).toBe('Unknown (0xC0001234)');
  });

  it('cut and lying bytes: malformed where a length lies or a header is cut inside its message, truncated under the snaplen', () => {
    const { pkts } = runFrames(load(EDGE), []);
    const smb = (n: number) => problemsOf(pkts[n - 1]).filter((x) => x.startsWith('smb2'));
    expect(smb(5)).toEqual([]);
    expect(smb(29)).toEqual(['smb2 malformed: SMB2 file name: runs past the end of the message']);
    expect(smb(30)).toEqual(['smb2 malformed: SMB2 header: runs past the end of the message']);
    expect(smb(31)).toEqual(['smb2 truncated: SMB2 tree name: captured data ends here (cut by snaplen)']);
  });
});

describe('SMB2: prefixes and random bytes', () => {
  // every SMB2 message (NBSS payload) of both fixtures whole in its frame
  const msgs: Uint8Array[] = [];
  for (const f of [SAMBA, EDGE]) {
    const { pkts } = runFrames(load(f), []);
    for (const p of pkts) {
      const l = p.layers.find((x) => x.proto === 'smb2');
      const nb = p.layers.find((x) => x.proto === 'nbss');
      if (l !== undefined && nb !== undefined && l.buf === p.frame.data && nb.end - nb.start > 4) msgs.push(l.buf.slice(nb.start + 4, nb.end));
    }
  }

  const clean = (ls: Layer[]) => {
    for (const l of ls) expect(() => l.fields()).not.toThrow();
    expect(dissectorErrors(ls)).toEqual([]);
  };

  it('every prefix of every message read alone: no exception, never a dissector error, a cut marked', () => {
    expect(msgs.length).toBeGreaterThan(250);
    let marked = 0;
    for (const m of msgs) {
      for (let n = 1; n < m.length; n += n < 72 ? 1 : 29) {
        // in a buffer that ends there (as a reassembled message does)
        const ls = smb2Layers(m.slice(0, n), 0, n, newSmb2Session(), 1, 0n, n % 2 === 0, null);
        clean(ls);
        if (n < 64 && m[0] === 0xfe) {
          expect(ls[0].problems?.length ?? 0, `prefix ${n}`).toBeGreaterThan(0);
          marked++;
        }
      }
    }
    expect(marked).toBeGreaterThan(1000);
  });

  it('random and mutated messages on TCP 445 (seeded, bounded): no exception, never a dissector error', () => {
    let seed = 0x445;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const seg = (index: number, toServer: boolean, cport: number, flags: number, seq: number, ack: number, payload?: Uint8Array): Frame => {
      const f = tcpFrame(index, index, toServer, cport, flags, seq, ack, payload);
      const at = toServer ? 36 : 34;
      f.data[at] = 0x01;
      f.data[at + 1] = 0xbd;
      return f;
    };
    for (let conn = 0; conn < 120; conn++) {
      const cport = 30000 + conn;
      const fs: Frame[] = [seg(1, true, cport, SYN, 99, 0), seg(2, false, cport, SYN | ACK, 499, 100), seg(3, true, cport, ACK, 100, 500)];
      let c = 100, sv = 500;
      for (let k = 0; k < 6; k++) {
        const toServer = rnd() % 2 === 0;
        let body: Uint8Array;
        if (rnd() % 4 !== 0) {
          body = msgs[((rnd() << 8) | rnd()) % msgs.length].slice();
          for (let m = 1 + (rnd() % 6); m > 0; m--) body[((rnd() << 8) | rnd()) % body.length] = rnd();
        } else {
          body = new Uint8Array(4 + (rnd() % 120));
          for (let i = 0; i < body.length; i++) body[i] = rnd();
          body[0] = [0xfe, 0xfd, 0xfc][rnd() % 3];
          body.set([0x53, 0x4d, 0x42], 1);
        }
        const p = new Uint8Array(4 + body.length);
        p[1] = body.length >> 16;
        p[2] = (body.length >> 8) & 0xff;
        p[3] = body.length & 0xff;
        p.set(body, 4);
        fs.push(seg(fs.length + 1, toServer, cport, PSH | ACK, toServer ? c : sv, toServer ? sv : c, p));
        if (toServer) c += p.length;
        else sv += p.length;
      }
      const { rows, pkts } = runFrames(fs, ['smb2.cmd', 'ntlmssp.messagetype']);
      expect(rows.length).toBe(fs.length);
      for (const pkt of pkts) {
        walkFields(pkt.layers, () => undefined);
        expect(dissectorErrors(pkt.layers)).toEqual([]);
      }
    }
  });

  it('the plain table builds no SMB2 fields (sparse): only the Info is computed per message', () => {
    const reg = defaultRegistry();
    const dis = new Dissection(reg);
    expect(reg.proto('smb2')).toBeDefined();
    expect(dis).toBeDefined();
    const m = msgs[0];
    const ls = smb2Layers(m, 0, m.length, newSmb2Session(), 1, 0n, false, null);
    // fields are built on demand only
    expect((ls[0] as unknown as { cache: unknown }).cache).toBeNull();
  });
});
