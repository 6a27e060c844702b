// End to end: the built CLI (node dist/bin/wiretrace.js) on corpus files.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../helpers/build.js';
import { CORPUS_DIR } from '../helpers/corpus.js';
import { encodePcapHeader, encodePcapRecord } from '../../src/capture/write.js';
import { ACK, enc, opening, PSH, tcpFrame } from '../helpers/tcp-frames.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin', 'wiretrace.js');
const C = CORPUS_DIR;

// build dist/ when it is missing, only tsc'd, or older than the sources
beforeAll(() => void ensureDist(), 180_000);

function run(args: string[], opts: { input?: Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: opts.input,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('wiretrace read (CLI)', () => {
  it('prints the table like tshark -n -r', () => {
    const r = run(['read', `${C}/dns-caa.pcap`]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    // tshark -n -r dns-caa.pcap (tshark 4.0)
    expect(r.out).toBe(
      '    1   0.000000 192.168.17.58 \u2192 8.8.8.8      DNS 70 Standard query 0x355e CAA google.com\n' +
        '    2   0.014345      8.8.8.8 \u2192 192.168.17.58 DNS 101 Standard query response 0x355e CAA google.com CAA\n',
    );
  });

  it('reads standard input with -', () => {
    const r = run(['read', '-c', '1', '-'], { input: readFileSync(`${C}/dns-caa.pcap`) });
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toHaveLength(2);
    expect(r.out).toContain('Standard query 0x355e');
  });

  it('-c N stops after N packets; -t ud; no colour when not a TTY', () => {
    const r = run(['read', '-c', '1', '-t', 'ud', `${C}/dns-caa.pcap`], { env: { FORCE_COLOR: '' } });
    expect(r.out).toBe('    1 2016-04-25 22:28:26.714596 192.168.17.58 \u2192 8.8.8.8      DNS 70 Standard query 0x355e CAA google.com\n');
    expect(r.out).not.toContain('\x1b[');
  });

  it('colours with FORCE_COLOR, and --no-color / NO_COLOR win', () => {
    expect(run(['read', '-c', '1', `${C}/dns-caa.pcap`], { env: { FORCE_COLOR: '1' } }).out).toContain('\x1b[');
    expect(run(['read', '-c', '1', '--no-color', `${C}/dns-caa.pcap`], { env: { FORCE_COLOR: '1' } }).out).not.toContain('\x1b[');
    expect(run(['read', '-c', '1', `${C}/dns-caa.pcap`], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).out).not.toContain('\x1b[');
  });

  it('-T fields with -E, equal to tshark', () => {
    const r = run(['read', '-T', 'fields', '-e', 'ip.src', '-e', 'udp.port', '-E', 'header=y', '-E', 'quote=d', `${C}/dns-caa.pcap`]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('ip.src\tudp.port\n"192.168.17.58"\t"58755,53"\n"8.8.8.8"\t"53,58755"\n');
  });

  it('-T json is one valid array; -T ndjson one object per line', () => {
    const j = run(['read', '-T', 'json', `${C}/http-get-simple.pcap`]);
    expect(j.code).toBe(0);
    const arr = JSON.parse(j.out);
    expect(arr).toHaveLength(14);
    expect(arr[0].frame).toMatchObject({ number: 1, len: 78, cap_len: 78, link_type: 1, time_epoch: '1362692526.869344000' });
    const n = run(['read', '-T', 'ndjson', '-c', '3', `${C}/http-get-simple.pcap`]);
    expect(n.out.trimEnd().split('\n').map((l) => JSON.parse(l).frame.number)).toEqual([1, 2, 3]);
  });

  it('-V prints the tree, -x the hex dump', () => {
    const r = run(['read', '-V', '-x', '-c', '1', `${C}/eth-arp-request-reply.pcapng`]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('Frame 1: 42 bytes on wire (336 bits), 42 bytes captured (336 bits)')).toBe(true);
    expect(r.out).toContain('\nEthernet II, Src: 00:16:ce:6e:8b:24, Dst: ff:ff:ff:ff:ff:ff\n    Destination: ff:ff:ff:ff:ff:ff\n');
    expect(r.out).toContain('\n0000  ff ff ff ff ff ff 00 16 ce 6e 8b 24 08 06 00 01   .........n.$....\n');
  });

  it('a missing file: one line, exit 1', () => {
    const r = run(['read', '/nonexistent/x.pcap']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe("wiretrace: no such file: '/nonexistent/x.pcap'\n");
  });

  it('a directory: one line, exit 1', () => {
    const r = run(['read', C]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^wiretrace: '.*' is a directory, not a capture file\n$/);
  });

  it('a text file: not a capture file, exit 1', () => {
    const r = run(['read', `${C}/malformed-not-a-capture-text.pcap`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^wiretrace: '.*malformed-not-a-capture-text\.pcap' is not a capture file[^\n]*\n$/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a cut-short file: the packet, then the damage on stderr, exit 2', () => {
    const r = run(['read', `${C}/malformed-file-cut-short.pcap`]);
    expect(r.code).toBe(2);
    expect(r.out.split('\n')).toHaveLength(2);
    expect(r.out).toMatch(/^ {4}1 {3}0\.000000 192\.168\.1\.100 \u2192 192\.168\.1\.101 .*\[Packet size limited during capture\]\n$/);
    expect(r.err).toMatch(/^wiretrace: file '.*malformed-file-cut-short\.pcap' is damaged at packet 2 \(byte offset 240\): .+\n$/);
  });

  it('an unknown option: one line, exit 2', () => {
    const r = run(['read', '--bogus', `${C}/dns-caa.pcap`]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("wiretrace: unknown option '--bogus'\n");
  });

  it('an unknown -e key: close matches, exit 2', () => {
    const r = run(['read', '-T', 'fields', '-e', 'ip.srcc', `${C}/dns-caa.pcap`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^wiretrace: unknown field "ip\.srcc" for -e; did you mean ip\.src\b.*\n$/);
  });

  it('bad values for -T, -t, -c, -E: exit 2', () => {
    for (const a of [['-T', 'xml'], ['-t', 'zz'], ['-c', 'ten'], ['-c', '0'], ['-T', 'fields', '-e', 'ip.src', '-E', 'quote=x'], ['-T', 'fields']]) {
      const r = run(['read', ...a, `${C}/dns-caa.pcap`]);
      expect(r.code, a.join(' ')).toBe(2);
      expect(r.err.split('\n'), a.join(' ')).toHaveLength(2);
    }
  });

  it('no file: help, exit 2', () => {
    const r = run(['read']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: wiretrace read [options] [file]');
  });

  it('--decode-as re-routes a port', () => {
    // the DNS packets decoded as plain data: the protocol column is no longer DNS
    const r = run(['read', '-c', '1', '--decode-as', 'udp.port==53,data', `${C}/dns-caa.pcap`]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('Standard query');
    expect(run(['read', '--decode-as', 'nonsense', `${C}/dns-caa.pcap`]).code).toBe(2);
  });

  it('checksums: verified whenever an output shows them (colour, fields), skipped only by the plain table', () => {
    // loopback capture: TCP checksums left to the NIC (offload), all "incorrect"; tshark with
    // tcp.check_checksum:TRUE says status 0 for these frames
    const f = join(C, 'http-post-multipart-multisegment.pcap');
    expect(run(['read', '-c', '3', '-T', 'fields', '-e', 'tcp.checksum.status', f]).out).toBe('0\n0\n0\n');
    const coloured = run(['read', '-c', '3', f], { env: { FORCE_COLOR: '1' } }).out.split('\n');
    // a checksum error colours the row red (bold red text)
    expect(coloured[0].startsWith('\x1b[1;31m')).toBe(true);
    const plain = run(['read', '-c', '3', f]).out.split('\n');
    expect(plain[0]).toBe(coloured[0].replace('\x1b[1;31m', '').replace('\x1b[0m', ''));
  });

  it('a closed pipe (| head) ends quietly with exit 0', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" read "${C}/mixed-wireshark-samples-nrb.pcapng" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout.trim()).toBe('0');
    expect(r.stderr).toBe('');
  });
});

describe('start-up', () => {
  it("the bundle's V8 code cache exists and this Node accepts it (else every run parses the whole bundle)", () => {
    const bundle = join(ROOT, 'dist', 'bin', 'wiretrace.bundle.cjs');
    const code = `const {Script}=require('node:vm'),{Module}=require('node:module'),fs=require('node:fs');
      const f=${JSON.stringify(bundle)};
      const s=new Script(Module.wrap(fs.readFileSync(f,'utf8')),{filename:f,cachedData:fs.readFileSync(f+'.cache')});
      process.stdout.write(String(s.cachedDataRejected));`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('false');
  });

  it('start-up loads no Node module the command does not use (zlib, net, os, child_process, fs/promises: ~10 ms)', () => {
    const demo = join(ROOT, 'fixtures', 'demo.pcapng');
    const dir = mkdtempSync(join(tmpdir(), 'wt-startup-'));
    const listFile = join(dir, 'modules.json');
    const loaded = (args: string[]): string[] => {
      // the loader is CommonJS: required as the `wiretrace` command runs it. stdout and stderr are
      // /dev/null (files: no socket, so no node:net for them) and the list goes to a file
      const code = `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listFile)}, JSON.stringify(process.moduleLoadList)));
        process.argv = [process.execPath, ${JSON.stringify(BIN)}, ...${JSON.stringify(args)}];
        require(${JSON.stringify(BIN)});`;
      const r = spawnSync(process.execPath, ['-e', code], { stdio: 'ignore' });
      expect(r.status).toBe(0);
      return JSON.parse(readFileSync(listFile, 'utf8')) as string[];
    };
    const lazy = ['NativeModule zlib', 'NativeModule net', 'NativeModule os', 'NativeModule child_process', 'NativeModule fs/promises'];
    for (const args of [['--version'], ['read', demo], ['conversations', demo]]) {
      const list = loaded(args);
      expect(list).toContain('NativeModule vm'); // the list is the real one (the loader's own module)
      expect(lazy.filter((m) => list.includes(m)), args.join(' ')).toEqual([]);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('output that cannot be written', () => {
  const f = `${C}/mixed-wireshark-samples-nrb.pcapng`;
  const commands = [
    ['read', f],
    ['read', '-T', 'json', f],
    ['conversations', f],
    ['conversations', '-T', 'json', f],
    ['follow', '--stream', '0', f],
    ['follow', '--stream', '0', '-T', 'json', f],
    ['http', f],
    ['dns', '-T', 'json', f],
  ];

  /** Run with stdout a pipe whose reading end is closed before the command starts. */
  function closedPipe(args: readonly string[]): Promise<{ code: number | null; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d));
      child.on('close', (code) => resolve({ code, err }));
    });
  }

  const cases = commands.map((c) => [c.slice(0, -1).join(' '), c] as const);

  it.each(cases)('a reader that went away is not an error: %s', async (_, args) => {
    const r = await closedPipe(args);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it.runIf(existsSync('/dev/full')).each(cases)('a full disk is one line and exit 1: %s', (_, args) => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.stderr).toBe('wiretrace: cannot write the output: ENOSPC: no space left on device, write\n');
      expect(r.status).toBe(1);
    } finally {
      closeSync(fd);
    }
  });
});

describe('standard input (-)', () => {
  it.each([
    ['conversations'],
    ['conversations', '-z', 'conv,udp', '-T', 'json'],
    ['follow', '--stream', '1'],
    ['http'],
    ['dns'],
    ['read', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'dns.qry.name'],
  ].map((a) => [a.join(' '), a] as const))('%s: the same output as from the file', (_, args) => {
    for (const f of [`${C}/mixed-browsing-dns-http.pcapng`, `${C}/http-post-large-multisegment.pcap`]) {
      const fromFile = run([...args, f]);
      const fromStdin = run([...args, '-'], { input: readFileSync(f) });
      expect(fromStdin.err).toBe('');
      expect(fromStdin.code).toBe(0);
      expect(fromFile.out.length).toBeGreaterThan(100);
      expect(fromStdin.out).toBe(fromFile.out);
    }
  });
});

describe('tshark keys and Info details', () => {
  const HG = join(ROOT, 'fixtures', 'tcp-http-get.pcap');
  const COLS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];

  it('the packet-list columns as -e keys, and every HTTP header line as http.request.line / http.response.line', () => {
    // fixtures/tcp-http-get.columns.tsv: tshark 4.0.17 -n -r tcp-http-get.pcap -T fields -e <the same keys>
    const keys = [...COLS, 'http.request.line', 'http.response.line'];
    const r = run(['read', '-T', 'fields', ...keys.flatMap((k) => ['-e', k]), HG]);
    expect(r.err).toBe('');
    expect(r.out).toBe(readFileSync(join(ROOT, 'fixtures', 'tcp-http-get.columns.tsv'), 'utf8'));
    // -t applies to _ws.col.Time (tshark -t d: 0.000149 between frames 3 and 4)
    expect(run(['read', '-t', 'd', '-T', 'fields', '-e', '_ws.col.Time', '-c', '4', HG]).out.split('\n')[3]).toBe('0.000149');
    // the hidden request / response flags, on the reassembled messages too (tshark: frames 4 and 9)
    expect(run(['read', '-T', 'fields', '-e', 'http.request', '-e', 'http.response', HG]).out.split('\n').slice(0, 14)).toEqual(
      Array.from({ length: 14 }, (_, i) => (i === 3 ? '1\t' : i === 8 ? '\t1' : '\t')),
    );
    const bad = run(['read', '-T', 'fields', '-e', '_ws.col.info', HG]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('did you mean _ws.col.Info');
  });

  it('the tree shows a header that has a field of its own once (its header-line field is hidden)', () => {
    const tree = run(['read', '-V', HG]).out;
    expect(tree.match(/^ {4}Server: Apache\/2\.4\.3 \(Fedora\)\\r\\n$/gm)).toHaveLength(1);
    // a header without a field of its own is its header line
    expect(tree.match(/^ {4}ETag: "1261-4c870358a6fc0"\\r\\n$/gm)).toHaveLength(1);
  });

  it('TCP analysis words stay in front of an HTTP row\'s Info (tshark\'s fenced prefixes)', () => {
    // the server's response acknowledges 10 client bytes the capture does not have
    const req = enc('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    const frames = [
      ...opening(1, [0, 1, 2, 3], 40000, 1000, 5000, req),
      tcpFrame(5, 4, false, 40000, PSH | ACK, 5001, 1001 + req.length + 10, enc('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi')),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'wt-fence-'));
    try {
      const f = join(dir, 'fence.pcap');
      writeFileSync(f, Buffer.concat([encodePcapHeader(1, 262144, 'us'), ...frames.map((x) => encodePcapRecord(x, 'us'))]));
      // tshark 4.0.17 on the same frames
      expect(run(['read', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', f]).out.split('\n').slice(3, 5)).toEqual([
        'HTTP\tGET /a HTTP/1.1 ',
        'HTTP\t[TCP ACKed unseen segment] HTTP/1.1 200 OK ',
      ]);
      // a response in three segments, the middle one acking unseen client bytes: the words once, on
      // the "[TCP segment of a reassembled PDU]" row (not again on the message's row)
      const head = enc('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nh');
      const a = 1001 + req.length;
      const three = [
        ...frames.slice(0, 4),
        tcpFrame(5, 4, false, 40000, PSH | ACK, 5001, a, head),
        tcpFrame(6, 5, false, 40000, PSH | ACK, 5001 + head.length, a + 10, enc('i')),
        tcpFrame(7, 6, false, 40000, PSH | ACK, 5002 + head.length, a + 10, enc('!')),
      ];
      writeFileSync(f, Buffer.concat([encodePcapHeader(1, 262144, 'us'), ...three.map((x) => encodePcapRecord(x, 'us'))]));
      expect(run(['read', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', f]).out.split('\n').slice(4, 7)).toEqual([
        'TCP\tHTTP/1.1 200 OK  [TCP segment of a reassembled PDU]',
        'TCP\t[TCP ACKed unseen segment] 80 \u2192 40000 [PSH, ACK] Seq=40 Ack=39 Win=65535 Len=1 [TCP segment of a reassembled PDU]',
        'HTTP\tHTTP/1.1 200 OK ',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SSDP (HTTP over UDP 1900) as tshark: its own name and column, http.* fields, NOTIFY a notification', () => {
    // tshark 4.0.17 -T fields on the same frames: a NOTIFY (152) and an M-SEARCH (299)
    const f = join(C, 'mixed-wireshark-samples-nrb.pcapng');
    const keys = ['frame.number', '_ws.col.Protocol', '_ws.col.Info', 'http.request', 'http.notification', 'http.request.line', 'http.unknown_header', 'http.request.full_uri'];
    const lines = run(['read', '-T', 'fields', ...keys.flatMap((k) => ['-e', k]), f]).out.split('\n');
    expect(lines[151]).toBe(
      '152\tSSDP\tNOTIFY * HTTP/1.1 \t\t1\t\tNT: upnp:rootdevice\\r\\n,NTS: ssdp:alive\\r\\n,USN: uuid:DIRECTV2PC-Media-Server1_0-RID-023254776174::upnp:rootdevice\\r\\n\thttp://239.255.255.250:1900*',
    );
    expect(lines[298]).toBe(
      '299\tSSDP\tM-SEARCH * HTTP/1.1 \t1\t\tHOST: 239.255.255.250:1900\\r\\n,MAN: "ssdp:discover"\\r\\n,MX: 1\\r\\n,ST: urn:dial-multiscreen-org:service:dial:1\\r\\n,USER-AGENT: Google Chrome/61.0.3163.100 Windows\\r\\n\t\thttp://239.255.255.250:1900*',
    );
    const tree = run(['read', '-V', '-c', '152', f]).out;
    expect(tree).toContain('Simple Service Discovery Protocol\n    NOTIFY * HTTP/1.1\\r\\n\n');
  });

  it('"[Packet size limited during capture]" only where a dissector runs out of captured bytes, as in tshark', () => {
    const cols = (f: string) => run(['read', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', join(C, f)]).out.split('\n');
    // 54-byte snaplen: the TCP header is whole, no payload byte captured (tshark hands none to HTTP)
    expect(cols('tcp-fast-retransmit-dupacks.pcap')[3]).toBe('TCP\t50368 \u2192 80 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=474');
    // an HTTP response cut by the snaplen inside its header block
    expect(cols('sll-ipv6-http-snaplen.pcap')[0]).toBe('HTTP\tHTTP/1.1 200 OK [Packet size limited during capture]');
  });

  it('several HTTP messages completed in one frame: each one\'s line in the Info, as tshark', () => {
    const lines = run(['read', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', join(C, 'http-two-requests-one-segment.pcap')]).out.split('\n');
    expect(lines[3]).toBe('HTTP\tPOST / HTTP/1.1 GET /smuggled-expect-100 HTTP/1.1 ');
  });

  it('a chunked body with a chunk size that is no size is a malformed HTTP message, as in tshark', () => {
    const lines = run(['read', '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info', join(C, 'malformed-http-chunk-size-2pow64.pcap')]).out.split('\n');
    expect(lines[3]).toBe('HTTP\tPOST / HTTP/1.1 [Malformed Packet]');
  });

  it('Info as tshark keeps it: an unknown reply code with its number, at most 4095 characters', () => {
    const info = run(['read', '-T', 'fields', '-e', '_ws.col.Info', join(C, 'malformed-dns-forward-pointer.pcap')]).out.split('\n')[0];
    expect(info.startsWith('Unknown operation (15) response 0xc980 Unknown error (15) Unknown (507) <Name too long> ')).toBe(true);
    expect(info).toHaveLength(4095);
  });
});
