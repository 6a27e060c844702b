// Whole commands on hostile captures: real corpus captures with some of their frames damaged (bytes
// overwritten in the headers, sequence and acknowledgement numbers replaced, frames cut short,
// timestamps moved back and forth, frames duplicated or swapped), written as pcap files and run
// through every command the CLI has, with the analysis, reassembly, tables, JSON, filters and plots
// they drive. No command may fail with an internal error (exit 3) or throw: a damaged packet is
// marked and the run goes on. In-process (main()), seeded (mulberry32) and bounded: 40 captures of at
// most 300 frames, 14 command forms each. A failure names the seed, the capture and the command.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/open.js';
import type { Frame } from '../../src/capture/types.js';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write.js';
import { main } from '../../src/cli/main.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { mulberry32 } from '../helpers/random.js';

const DIR = mkdtempSync(join(tmpdir(), 'wiretrace-cmdfuzz-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const COMMANDS: string[][] = [
  ['read'],
  ['read', '-T', 'json'],
  ['read', '-V', '-x'],
  ['read', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.analysis.flags', '-e', 'tcp.analysis.ack_rtt', '-e', 'tcp.analysis.bytes_in_flight',
    '-e', 'http.request.uri', '-e', 'dns.qry.name', '-e', 'frame.protocols', '-e', 'tcp.window_size'],
  ['read', '-Y', 'tcp.analysis.flags or len(http.host) > 3 or dns.qry.name[0:1] == "w" or count(ip.addr) == 2'],
  ['read', '-q', '-z', 'io,phs', '-z', 'conv,tcp', '-z', 'endpoints,ip', '-z', 'conv,udp,dns', '-z', 'follow,tcp,hex,0', '-z', 'follow,tcp,ascii,1'],
  ['read', '-q', '-z', 'http,tree', '-z', 'http_req,tree', '-z', 'http_srv,tree,tcp', '-z', 'dns,tree', '-z', 'plen,tree', '-z', 'ptype,tree'],
  ['conversations'],
  ['conversations', '-T', 'json'],
  ['conversations', '-z', 'conv,tcp,tcp.len > 0', '-z', 'conv,udp,dns'],
  ['follow', '--stream', '0', '--data', 'hex', '--explain'],
  ['follow', '--stream', '1', '-T', 'json', '--data', 'ascii'],
  ['follow', '--stream', '0', '--plot', join(DIR, 'plot.svg')],
  ['http'],
  ['http', '-T', 'json'],
  ['dns', '-T', 'json'],
];

/** A copy of `frames` (one link type) with some frames damaged, reordered or repeated. */
function damage(frames: Frame[], rnd: () => number): Frame[] {
  const out: Frame[] = [];
  const rate = 0.05 + rnd() * 0.25;
  for (const f of frames) {
    let data = Uint8Array.from(f.data);
    let ts = f.ts;
    if (rnd() < rate) {
      const k = Math.floor(rnd() * 6);
      if (k === 0 && data.length > 20) {
        // bytes of the link, IP and transport headers
        for (let i = 0; i < 1 + rnd() * 6; i++) data[14 + Math.floor(rnd() * Math.min(data.length - 14, 60))] = Math.floor(rnd() * 256);
      } else if (k === 1) data = data.subarray(0, Math.floor(rnd() * data.length));
      else if (k === 2) ts += BigInt(Math.floor((rnd() - 0.5) * 2e12)); // up to ±1000 s
      else if (k === 3 && data.length > 60) {
        // TCP sequence / acknowledgement numbers of an IPv4 frame (Ethernet): any value
        const p = 14 + 20 + 4 + Math.floor(rnd() * 2) * 4;
        for (let i = 0; i < 4; i++) data[p + i] = Math.floor(rnd() * 256);
      } else if (k === 4) out.push({ ...f, data, ts }); // sent twice
      else if (k === 5 && out.length > 0) {
        // swapped with an earlier frame
        const j = Math.floor(rnd() * out.length);
        const earlier = out[j];
        out[j] = { ...f, data, ts };
        out.push(earlier);
        continue;
      }
    }
    out.push({ ...f, data, ts });
  }
  return out;
}

function sink(): { w: Writable; text: () => string } {
  let s = '';
  return {
    w: new Writable({
      write(c, _e, cb) {
        if (s.length < 4096) s += c.toString();
        cb();
      },
    }),
    text: () => s,
  };
}

/** `frames` written as a pcap file (nanosecond), and its path. */
function writeCapture(name: string, linkType: number, frames: Frame[]): string {
  const file = join(DIR, name);
  writeFileSync(file, Buffer.concat([encodePcapHeader(linkType, 262144, 'ns'), ...frames.map((f) => encodePcapRecord({ ...f, origLen: Math.max(f.origLen, f.data.length) }, 'ns'))]));
  return file;
}

/** `wiretrace …c file`: its exit code and stderr; a throw fails with `what` and the command. */
async function runOn(c: string[], file: string, what: string): Promise<{ code: number; err: string }> {
  const out = sink(), err = sink();
  try {
    const code = await main([...c, file], { stdout: out.w, stderr: err.w, env: { NO_COLOR: '1' } });
    return { code, err: err.text() };
  } catch (e) {
    throw new Error(`${what}: wiretrace ${c.join(' ')} threw ${(e as Error).stack}`);
  }
}

describe('commands on damaged captures (seeded, bounded)', () => {
  const files = (() => {
    try {
      return readdirSync(CORPUS_DIR).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
    } catch {
      return [];
    }
  })();

  it.runIf(files.length > 0)('no command fails with an internal error or throws', async () => {
    const rnd = mulberry32(20261127);
    let runs = 0;
    for (let n = 0; n < 40; n++) {
      const name = files[Math.floor(rnd() * files.length)];
      const { frames } = parseCaptureBuffer(readFileSync(join(CORPUS_DIR, name)));
      if (frames.length === 0) continue;
      const lt = frames[0].linkType;
      const mangled = damage(frames.filter((f) => f.linkType === lt).slice(0, 300), rnd);
      const file = writeCapture(`c${n}.pcap`, lt, mangled);
      for (const c of COMMANDS) {
        const { code, err } = await runOn(c, file, `capture ${n} (from ${name})`);
        expect(code, `capture ${n} (from ${name}): wiretrace ${c.join(' ')}: ${err}`).not.toBe(3);
        // what a command says on stderr is one-line messages (e.g. no such stream), never a trace
        for (const line of err.split('\n').filter(Boolean)) expect(line, `${name}: ${c.join(' ')}`).toMatch(/^wiretrace: /);
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(400);
  }, 180_000);
});

describe('TLS, WebSocket and SSH captures, damaged (seeded, bounded)', () => {
  // the record, frame and packet cutting of src/analysis/http/app.ts and framer.ts under damage: lengths
  // that lie, records and frames cut by snaplen, reordered and repeated segments, sessions whose
  // Change Cipher Spec or Server Hello is lost
  const FX = join(import.meta.dirname, '..', '..', 'fixtures');
  const files = ['tls-openssl-loopback.pcap', 'tls-openssl-segmented.pcap', 'tls-alert-and-http-on-443.pcap', 'tls-clients-hrr-resumption.pcap', 'websocket-frames.pcap', 'ssh-sessions.pcap'];
  const forms: string[][] = [
    ['read'],
    ['read', '-T', 'json'],
    ['read', '-V', '-x'],
    ['read', '-T', 'fields', '-e', 'frame.protocols', '-e', 'tls.handshake.ja3', '-e', 'tls.record.length', '-e', 'websocket.payload.text', '-e', 'websocket.fragment', '-e', 'ssh.kex.hassh', '-e', 'ssh.packet_length'],
  ];

  it('no read fails with an internal error or throws', async () => {
    const rnd = mulberry32(443);
    let runs = 0;
    for (let n = 0; n < 30; n++) {
      const name = files[n % files.length];
      const { frames } = parseCaptureBuffer(readFileSync(join(FX, name)));
      const mangled = damage(frames, rnd);
      // and payload bytes: record and frame headers, lengths, handshake bodies
      for (const f of mangled) {
        if (f.data.length > 70 && rnd() < 0.3) {
          const d = Uint8Array.from(f.data);
          for (let i = 0; i < 1 + rnd() * 4; i++) d[66 + Math.floor(rnd() * (d.length - 66))] = Math.floor(rnd() * 256);
          f.data = d;
        }
      }
      const file = writeCapture(`t${n}.pcap`, frames[0].linkType, mangled);
      for (const c of forms) {
        const { code, err } = await runOn(c, file, `capture ${n} (from ${name})`);
        expect(code, `capture ${n} (from ${name}): wiretrace ${c.join(' ')}: ${err}`).toBe(0);
        runs++;
      }
    }
    expect(runs).toBe(120);
  }, 120_000);
});
