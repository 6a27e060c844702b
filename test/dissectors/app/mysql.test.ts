// MySQL on TCP port 3306 (dissectors/mysql.ts, reassembled in src/analysis/http/app.ts) against tshark
// 4.0.17: columns, frame.protocols and 70 mysql.* keys of fixtures/mysql-session.pcap (built by
// scripts/mysql-fixture.py: greeting, login with schema and connection attributes, a text result set in
// one segment, COM_INIT_DB, an error, an INSERT split over two segments, a result set over two segments
// with a NULL, COM_PING, a prepared statement with its execute and binary row, COM_STMT_CLOSE and
// COM_QUERY in one segment, COM_STATISTICS, COM_QUIT; a MariaDB greeting and a refused login) and of the
// corpus's MariaDB connection that turns to TLS after its SSL request, in .tshark.tsv files written by
// scripts/mysql-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../../src/capture/open.js';
import type { Frame } from '../../../src/capture/types.js';
import { mysqlLayer, newMysqlCol, newMysqlSession } from '../../../dissectors/mysql.js';
import { dissectorErrors } from '../../helpers/problems.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';
import { tcpFrame, ACK, PSH, SYN } from '../../helpers/tcp-frames.js';
import { runFrames } from '../../analysis/app/lib.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const CAP = join(FX, 'mysql-session.pcap');

describe('MySQL as tshark 4.0 shows it', () => {
  it('mysql-session.pcap: every cell of every frame equal', async () => {
    const want = readFileSync(CAP + '.tshark.tsv', 'utf8');
    expect(await fieldsOf(CAP, want)).toBe(want);
    // the forms the table shows, as tshark writes them (double and trailing spaces included)
    const info = want.split('\n').map((l) => l.split('\t')[1]);
    expect(info[4]).toBe('Server Greeting  proto=10 version=8.0.36 ');
    expect(info[5]).toBe('Login Request user=root db=test ');
    expect(info[6]).toBe('Response  OK ');
    expect(info[7]).toBe('Request Query');
    expect(info[8]).toBe('Response TABULAR Response ');
    expect(info[12]).toBe('Response  Error 1146 ');
    expect(info[13]).toMatch(/^50000 → 3306 \[PSH, ACK\] .* \[TCP segment of a reassembled PDU\]$/);
    expect(info[25]).toBe('Request Query');
    expect(info[29]).toBe('Request Quit');
    expect(info[36]).toBe('Server Greeting  proto=10 version=10.11.6-MariaDB-0+deb12u1 ');
    expect(info[37]).toBe('Login Request user=bob ');
    expect(info[38]).toBe('Response  Error 1045 ');
  });

  it("the corpus's MariaDB connection: greeting, SSL request, then TLS, every cell equal", async () => {
    const want = readFileSync(join(FX, 'mysql-corpus.tshark.tsv'), 'utf8').split('\n');
    const got = (await fieldsOf(join(CORPUS_DIR, 'pcapng-eth-sll-comments.pcapng'), want.join('\n'))).split('\n');
    // frames 1–59 are the MySQL connection (the rest are X11: test/dissectors/app/x11.test.ts)
    const w = want.slice(0, 60), g = got.slice(0, 60);
    expect(w[4].split('\t').slice(0, 2)).toEqual(['MySQL', 'Server Greeting  proto=10 version=5.5.40-MariaDB-0ubuntu0.14.04.1 ']);
    expect(w[6].split('\t').slice(0, 2)).toEqual(['MySQL', 'Response: SSL Handshake user= ']);
    expect(w[8].split('\t').slice(0, 3)).toEqual(['TLSv1', 'Client Hello', 'eth:ethertype:ip:tcp:tls']);
    // the certificate frame: tshark's X.509 dissectors in frame.protocols (src/dissect/x509.ts)
    expect(w[10].split('\t')[2]).toBe('eth:ethertype:ip:tcp:tls:x509sat:x509sat:x509ce');
    expect(g).toEqual(w);
    expect(w.filter((l) => l.startsWith('TLSv1\t')).length).toBe(25);
  });

  it('the tree: one "MySQL Protocol" per packet, titled by what it is', async () => {
    const r = await runCli(['read', '-V', '-Y', 'frame.number == 8', CAP]);
    for (const t of ['MySQL Protocol - column count', 'MySQL Protocol - field packet', 'MySQL Protocol - intermediate EOF', 'MySQL Protocol - row packet', 'MySQL Protocol - response EOF']) {
      expect(r.out).toContain(t);
    }
    expect(r.out).toContain('Type: 253');
  });
});

// ---- robustness ---------------------------------------------------------------------------------

const fixtureFrames = parseCaptureBuffer(new Uint8Array(readFileSync(CAP))).frames;
/** The TCP payload of a fixture frame (Ethernet + IPv4 + TCP without options). */
const payloadOf = (n: number): Uint8Array => fixtureFrames[n - 1].data.slice(54);

/** A segment of client 10.0.0.1:cport ↔ server 10.0.0.2:3306. */
function seg(index: number, toServer: boolean, cport: number, flags: number, seq: number, ack: number, payload?: Uint8Array): Frame {
  const f = tcpFrame(index, index, toServer, cport, flags, seq, ack, payload);
  const at = toServer ? 36 : 34;
  f.data[at] = 3306 >> 8;
  f.data[at + 1] = 3306 & 255;
  return f;
}

describe('MySQL: prefixes, lying lengths and random bytes', () => {
  // in order: greeting (server), login (client), OK, query, the result set's five packets
  const session = [
    { p: payloadOf(4), toServer: false },
    { p: payloadOf(5), toServer: true },
    { p: payloadOf(6), toServer: false },
    { p: payloadOf(7), toServer: true },
    { p: payloadOf(8), toServer: false },
    { p: payloadOf(21), toServer: true },
    { p: payloadOf(22), toServer: false },
  ];

  it('every prefix of each packet, read in its place in the session: no exception, a cut header is truncated', () => {
    for (let i = 0; i < session.length; i++) {
      const whole = session[i].p;
      // the first packet of the segment (the result sets hold several)
      const len = 4 + (whole[0] | (whole[1] << 8) | (whole[2] << 16));
      for (let n = 0; n < len; n++) {
        const s = newMysqlSession();
        for (let k = 0; k < i; k++) {
          const b = session[k].p;
          for (let at = 0; at + 4 <= b.length; ) {
            const l = 4 + (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16));
            mysqlLayer(b, at, at + l, s, session[k].toServer, newMysqlCol(), false);
            at += l;
          }
        }
        let layer;
        expect(() => {
          layer = mysqlLayer(whole, 0, n, s, session[i].toServer, newMysqlCol(), false);
          layer.dis.fields(layer);
          layer.dis.info!(layer, [layer]);
        }).not.toThrow();
        const kinds = (layer!.problems ?? []).map((p: { kind: string }) => p.kind);
        if (n < 4) expect(kinds).toContain('truncated');
        for (const k of kinds) expect(['truncated', 'malformed', 'unsupported']).toContain(k);
      }
    }
  });

  it('a length that lies (an error packet whose SQL state runs past its length) is malformed', () => {
    const s = newMysqlSession();
    s.state = 2; // REQUEST
    const b = new Uint8Array([4, 0, 0, 1, 0xff, 0x15, 0x04, 0x23]);
    const l = mysqlLayer(b, 0, b.length, s, false, newMysqlCol(), false);
    expect(l.problems?.map((p) => p.kind)).toEqual(['malformed']);
    expect(l.d.info).toBe('Response  Error 1045 ');
  });

  it('random bytes on port 3306 (seeded, bounded): no exception, no dissector error', () => {
    let seed = 0x3306;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let conn = 0; conn < 150; conn++) {
      const cport = 40000 + conn;
      const frames: Frame[] = [seg(1, true, cport, SYN, 99, 0), seg(2, false, cport, SYN | ACK, 499, 100), seg(3, true, cport, ACK, 100, 500)];
      let c = 100, sv = 500;
      // half the connections start with the fixture's greeting and login, so the later states are reached
      if (conn % 2 === 0) {
        frames.push(seg(frames.length + 1, false, cport, PSH | ACK, sv, c, session[0].p));
        sv += session[0].p.length;
        frames.push(seg(frames.length + 1, true, cport, PSH | ACK, c, sv, session[1].p));
        c += session[1].p.length;
      }
      for (let k = 0; k < 8; k++) {
        const toServer = rnd() % 2 === 0;
        const p = new Uint8Array(1 + (rnd() % 60));
        for (let i = 0; i < p.length; i++) p[i] = rnd();
        // often a plausible header: a small length and a sequence id
        if (rnd() % 2 === 0 && p.length >= 4) {
          p[0] = rnd() % 64;
          p[1] = p[2] = 0;
          p[4 % p.length] = [0x00, 0xff, 0xfe, 0x03, 0x17, 0x01][rnd() % 6];
        }
        frames.push(seg(frames.length + 1, toServer, cport, PSH | ACK, toServer ? c : sv, toServer ? sv : c, p));
        if (toServer) c += p.length;
        else sv += p.length;
      }
      const { rows, pkts } = runFrames(frames, ['mysql.packet_length', 'mysql.error_code', 'mysql.row.text']);
      expect(rows.length).toBe(frames.length);
      for (const pkt of pkts) expect(dissectorErrors(pkt.layers)).toEqual([]);
    }
  });
});
