// Live capture on loopback with real traffic made here (as root, with cap built; else skipped
// with the reason). The CLI runs as a child process: build with `npm run build` first.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { capBuilt, hasTshark, isRoot, miniRead, tsharkFields, type MiniFrame } from './helpers.js';
import { hasDist, runCli, sleep } from './run.js';

const skipReason = !isRoot ? 'not root' : !capBuilt() ? 'cap is not built (apt-get install libpcap-dev && npm rebuild cap)' : !hasDist ? 'dist/ missing: run npm run build first' : '';
if (skipReason) console.warn(`test/live/capture.test.ts: live capture tests skipped: ${skipReason}`);
const live = describe.skipIf(skipReason !== '');

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-live-'));
  fs.chmodSync(dir, 0o777); // the capture drops to uid 65534 before opening files
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// --- an independent decoder for what the tests assert (Ethernet → IPv4 → TCP/UDP on lo)
interface Pkt {
  proto: 'tcp' | 'udp' | 'other';
  sport: number;
  dport: number;
  flags: number;
  payload: Buffer;
}
function decode(f: MiniFrame): Pkt {
  const d = f.data;
  if (f.linkType !== 1 || d.readUInt16BE(12) !== 0x0800) return { proto: 'other', sport: 0, dport: 0, flags: 0, payload: Buffer.alloc(0) };
  const ip = 14;
  const ihl = (d[ip] & 15) * 4;
  const total = d.readUInt16BE(ip + 2);
  const l4 = ip + ihl;
  if (d[ip + 9] === 6) {
    const doff = (d[l4 + 12] >> 4) * 4;
    return { proto: 'tcp', sport: d.readUInt16BE(l4), dport: d.readUInt16BE(l4 + 2), flags: d[l4 + 13], payload: d.subarray(l4 + doff, ip + total) };
  }
  if (d[ip + 9] === 17) return { proto: 'udp', sport: d.readUInt16BE(l4), dport: d.readUInt16BE(l4 + 2), flags: 0, payload: d.subarray(l4 + 8, ip + total) };
  return { proto: 'other', sport: 0, dport: 0, flags: 0, payload: Buffer.alloc(0) };
}
const SYN = 0x02, ACK = 0x10, FIN = 0x01, RST = 0x04;

function dnsQuery(id: number): Buffer {
  const q = Buffer.from([0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0, 0, 1, 0, 1]);
  q.writeUInt16BE(id, 0);
  return q;
}
function dnsAnswer(q: Buffer): Buffer {
  const r = Buffer.concat([q, Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 7])]);
  r.writeUInt16BE(0x8180, 2);
  r.writeUInt16BE(1, 6);
  return r;
}

async function udpPort(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return s;
}

live('wiretrace capture on lo', () => {
  it('captures a TCP connection, UDP datagrams and a DNS exchange exactly; SIGINT leaves a complete file', async () => {
    const server = net.createServer((sock) => {
      sock.on('data', () => sock.end('pong-reply'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const tport = (server.address() as net.AddressInfo).port;
    const sink = await udpPort();
    const uport = sink.address().port;
    const dns = await udpPort();
    const dport = dns.address().port;
    dns.on('message', (m, rinfo) => dns.send(dnsAnswer(m), rinfo.port, rinfo.address));

    const file = path.join(dir, 'sigint.pcapng');
    const run = runCli(['capture', '-i', 'lo', '-f', `tcp port ${tport} or udp port ${uport} or udp port ${dport}`, '-w', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_source', '-e', 'frame.len']);
    await run.ready;
    try {
      // TCP with data and a clean close.
      let cport = 0;
      await new Promise<void>((resolve, reject) => {
        const c = net.connect(tport, '127.0.0.1', () => {
          cport = c.localPort!;
          c.write('ping-payload-123');
        });
        c.on('data', () => c.end());
        c.on('close', () => resolve());
        c.on('error', reject);
      });
      // UDP datagrams.
      const tx = dgram.createSocket('udp4');
      for (let i = 0; i < 3; i++) await new Promise<void>((r) => tx.send(Buffer.from(`udp-datagram-${i}`), uport, '127.0.0.1', () => r()));
      // DNS query and answer.
      const answered = new Promise<Buffer>((r) => tx.once('message', (m) => r(m)));
      tx.send(dnsQuery(0x4242), dport, '127.0.0.1');
      await answered;
      tx.close();
      await sleep(300);
      run.child.kill('SIGINT');
      const ex = await run.exit;
      expect(ex.code).toBe(0);

      const cap = miniRead(fs.readFileSync(file));
      const pk = cap.frames.map(decode);
      expect(run.stderr()).toMatch(new RegExp(`\\b${pk.length} packets captured`));
      const tcp = pk.filter((p) => p.proto === 'tcp');
      // The three-way handshake with both ports.
      expect(tcp[0]).toMatchObject({ sport: cport, dport: tport, flags: SYN });
      expect(tcp[1]).toMatchObject({ sport: tport, dport: cport, flags: SYN | ACK });
      expect(tcp[2]).toMatchObject({ sport: cport, dport: tport, flags: ACK });
      // The payload bytes, both ways.
      expect(tcp.some((p) => p.sport === cport && p.payload.toString() === 'ping-payload-123')).toBe(true);
      expect(tcp.some((p) => p.sport === tport && p.payload.toString() === 'pong-reply')).toBe(true);
      // The close: FIN or RST.
      expect(tcp.some((p) => (p.flags & (FIN | RST)) !== 0)).toBe(true);
      // The UDP datagrams, in order.
      expect(pk.filter((p) => p.proto === 'udp' && p.dport === uport).map((p) => p.payload.toString())).toEqual(['udp-datagram-0', 'udp-datagram-1', 'udp-datagram-2']);
      // The DNS query and its answer.
      const q = pk.filter((p) => p.proto === 'udp' && p.dport === dport);
      const a = pk.filter((p) => p.proto === 'udp' && p.sport === dport);
      expect(q.length).toBe(1);
      expect(q[0].payload.equals(dnsQuery(0x4242))).toBe(true);
      expect(a.length).toBe(1);
      expect(a[0].payload.readUInt16BE(0)).toBe(0x4242);
      expect(a[0].payload.subarray(-4)).toEqual(Buffer.from([127, 0, 0, 7]));
      // Nothing else got through the filter.
      expect(pk.length).toBe(tcp.length + 5);
      // pcapng interface: name, host timestamp note, ns resolution.
      expect(cap.ifOptions[0].get(2)).toBe('lo');
      expect(String(cap.ifOptions[0].get(3))).toMatch(/host receive time/);
      // The display printed every packet (one line each), marked as host time.
      const lines = run.stdout().toString().trim().split('\n');
      expect(lines).toEqual(cap.frames.map((f, i) => `${i + 1}\thost\t${f.origLen}`));
      if (hasTshark) {
        const rows = tsharkFields(file, ['frame.number', 'frame.len']);
        expect(rows.length).toBe(pk.length);
        expect(rows.map((r) => Number(r[1]))).toEqual(cap.frames.map((f) => f.origLen));
      }
    } finally {
      server.close();
      sink.close();
      dns.close();
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  it('-c stops after N packets; -w FILE.pcap writes classic pcap', async () => {
    const rx = await udpPort();
    const port = rx.address().port;
    const file = path.join(dir, 'count.pcap');
    const run = runCli(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-c', '2', '-q', '-w', file]);
    await run.ready;
    const tx = dgram.createSocket('udp4');
    for (let i = 0; i < 5 && run.child.exitCode === null; i++) {
      await new Promise<void>((r) => tx.send(Buffer.from(`n${i}`), port, '127.0.0.1', () => r()));
      await sleep(50);
    }
    tx.close();
    rx.close();
    const ex = await run.exit;
    expect(ex.code).toBe(0);
    expect(run.stderr()).toMatch(/^2 packets captured$/m);
    expect(run.stdout().length).toBe(0); // -q
    const cap = miniRead(fs.readFileSync(file));
    expect(cap.format).toBe('pcap');
    expect(cap.frames.map((f) => decode(f).payload.toString())).toEqual(['n0', 'n1']);
  });

  it('-Y shows only the packets the display filter passes; -c still counts every packet captured', async () => {
    const rx = await udpPort();
    const port = rx.address().port;
    const run = runCli(['capture', '-i', 'lo', '-f', `udp port ${port}`, '-c', '4', '-Y', 'udp contains "keep"', '-T', 'fields', '-e', 'frame.number', '-e', 'udp.length']);
    await run.ready;
    const tx = dgram.createSocket('udp4');
    for (const [i, text] of ['drop0', 'keep1', 'drop2', 'keep3', 'keep4'].entries()) {
      if (run.child.exitCode !== null) break;
      await new Promise<void>((r) => tx.send(Buffer.from(text), port, '127.0.0.1', () => r()));
      await sleep(50 + i);
    }
    tx.close();
    rx.close();
    const ex = await run.exit;
    expect(ex.code).toBe(0);
    expect(run.stderr()).toMatch(/^4 packets captured$/m);
    // frames 2 and 4 of the 4 captured ("keep1", "keep3"): 8 + 5 bytes of UDP
    expect(run.stdout().toString()).toBe('2\t13\n4\t13\n');
  });

  it('-Y with -w is refused: the file would get every packet', async () => {
    const run = runCli(['capture', '-i', 'lo', '-Y', 'udp', '-w', path.join(dir, 'x.pcapng')]);
    const ex = await run.exit;
    expect(ex.code).toBe(2);
    expect(run.stderr()).toMatch(/^wiretrace: -Y filters the packet display only, and -w writes every packet: choose what is captured with -f \(BPF\) instead\n$/);
  });

  it('-a duration stops the capture; -w - streams pcapng to stdout', async () => {
    const t0 = Date.now();
    const run = runCli(['capture', '-i', 'lo', '-f', 'udp port 9', '-a', 'duration:1', '-w', '-']);
    const ex = await run.exit;
    expect(ex.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(run.stderr()).toMatch(/^0 packets captured$/m);
    const cap = miniRead(run.stdout());
    expect(cap.format).toBe('pcapng');
    expect(cap.linkTypes).toEqual([1]);
    expect(cap.frames.length).toBe(0);
  });

  it('-i any captures loopback traffic as Linux cooked capture', async () => {
    const rx = await udpPort();
    const port = rx.address().port;
    const file = path.join(dir, 'any.pcapng');
    const run = runCli(['capture', '-i', 'any', '-f', `udp dst port ${port}`, '-c', '1', '-q', '-w', file]);
    await run.ready;
    const tx = dgram.createSocket('udp4');
    for (let i = 0; i < 20 && run.child.exitCode === null; i++) {
      await new Promise<void>((r) => tx.send(Buffer.from('via-any'), port, '127.0.0.1', () => r()));
      await sleep(50);
    }
    tx.close();
    rx.close();
    expect((await run.exit).code).toBe(0);
    const cap = miniRead(fs.readFileSync(file));
    expect(cap.linkTypes).toEqual([113]);
    const d = cap.frames[0].data;
    expect(d.readUInt16BE(14)).toBe(0x0800); // SLL protocol: IPv4
    expect(d.subarray(16 + 28).toString()).toBe('via-any');
  });

  it('a display that cannot keep up skips rows (counted) while the file gets every packet', async () => {
    const rx = await udpPort();
    const port = rx.address().port;
    const file = path.join(dir, 'burst.pcapng');
    const run = runCli(['capture', '-i', 'lo', '-f', `udp dst port ${port}`, '-V', '-w', file], { timeoutMs: 30_000 });
    await run.ready;
    run.child.stdout!.pause(); // the reader of the display stops reading: stdout backs up
    const tx = dgram.createSocket('udp4');
    const N = 16_000; // well over what the display queue holds (10 000)
    const msg = Buffer.from('burst');
    for (let i = 0; i < N; i += 100) {
      await Promise.all(Array.from({ length: 100 }, () => new Promise<void>((r) => tx.send(msg, port, '127.0.0.1', () => r()))));
      await sleep(3); // bursts of 100: the kernel ring (~500 slots of 64 KiB) never overflows
    }
    tx.close();
    await sleep(500);
    run.child.kill('SIGINT');
    run.child.kill('SIGINT'); // a second Ctrl-C: do not draw what is still queued
    run.child.stdout!.resume();
    expect((await run.exit).code, run.stderr()).toBe(0);
    rx.close();
    const n = miniRead(fs.readFileSync(file)).frames.length;
    const m = /^(\d+) packets captured\n(\d+) packets not displayed \(the display could not keep up; the file has every packet\)$/m.exec(run.stderr());
    expect(m, run.stderr()).not.toBeNull();
    expect(Number(m![1])).toBe(n);
    expect(n).toBeGreaterThan(10_200); // the kernel may drop some under a burst (see docs); JavaScript drops none
    expect(Number(m![2])).toBeGreaterThan(0);
  });

  it('drops privileges to SUDO_UID/SUDO_GID before opening the file', async () => {
    const file = path.join(dir, 'owned.pcapng');
    const run = runCli(['capture', '-i', 'lo', '-f', 'udp port 9', '-a', 'duration:0.3', '-q', '--debug', '-w', file], {
      env: { SUDO_UID: '65534', SUDO_GID: '65534', SUDO_USER: '' },
    });
    const ex = await run.exit;
    expect(ex.code).toBe(0);
    expect(run.stderr()).toMatch(/uid=65534 gid=65534 euid=65534/);
    const st = fs.statSync(file);
    expect([st.uid, st.gid]).toEqual([65534, 65534]);
  });

  it('--no-drop-privileges keeps root, with a warning', async () => {
    const run = runCli(['capture', '-i', 'lo', '-f', 'udp port 9', '-a', 'duration:0.2', '-q', '--debug', '--no-drop-privileges'], {
      env: { SUDO_UID: '65534', SUDO_GID: '65534' },
    });
    expect((await run.exit).code).toBe(0);
    expect(run.stderr()).toMatch(/warning: --no-drop-privileges/);
    expect(run.stderr()).toMatch(/uid=0 /);
  });

  it('without privileges: one line naming sudo and setcap, exit 2', async () => {
    const run = runCli(['capture', '-i', 'lo'], { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] });
    const ex = await run.exit;
    expect(ex.code).toBe(2);
    const err = run.stderr().trim().split('\n');
    expect(err.length).toBe(1);
    expect(err[0]).toMatch(/sudo/);
    expect(err[0]).toContain('setcap cap_net_raw,cap_net_admin+eip "$(readlink -f "$(which node)")"');
  });

  it('a BPF syntax error is one line with the filter and exit 2', async () => {
    const run = runCli(['capture', '-i', 'lo', '-f', 'tcp port']);
    expect((await run.exit).code).toBe(2);
    expect(run.stderr().trim()).toBe('wiretrace: bad capture filter "tcp port": can\'t parse filter expression: syntax error');
  });

  it('a wrong interface name is one line listing the existing ones', async () => {
    const run = runCli(['capture', '-i', 'nosuch0']);
    expect((await run.exit).code).toBe(2);
    const err = run.stderr().trim().split('\n');
    expect(err.length).toBe(1);
    expect(err[0]).toMatch(/no interface "nosuch0"; interfaces: .*\blo\b/);
  });

  it('interfaces (and capture -D) list lo with flags and address prefixes', async () => {
    for (const args of [['interfaces'], ['capture', '-D']]) {
      const run = runCli(args);
      expect((await run.exit).code).toBe(0);
      const lo = run.stdout().toString().split('\n').find((l) => /^\d+\.lo /.test(l));
      expect(lo).toMatch(/^\d+\.lo \[Up, Running, Loopback\] 127\.0\.0\.1\/8( ::1\/128)?$/);
    }
  });

  it('without the cap module: one line and exit 2', async () => {
    const run = runCli(['capture', '-i', 'lo'], { env: { WIRETRACE_NO_CAP: '1' } });
    expect((await run.exit).code).toBe(2);
    expect(run.stderr().trim()).toBe('wiretrace: live capture needs the cap native module: apt-get install libpcap-dev && npm rebuild cap');
  });
});

describe('tshark agrees on a file written by capture', () => {
  it.skipIf(skipReason !== '' || !hasTshark)('capinfos sees the same packet count', () => {
    const file = path.join(dir, 'sigint.pcapng');
    if (!fs.existsSync(file)) return;
    const info = execFileSync('capinfos', ['-c', file], { encoding: 'utf8' });
    const n = miniRead(fs.readFileSync(file)).frames.length;
    expect(info).toMatch(new RegExp(`Number of packets:\\s+${n}\\b`));
  });
});
