// HTTP/1.x and DNS on real Linux loopback traffic that the test makes itself: tcpdump records it,
// then the built CLI (`http`, `dns`, `read -T fields`) analyses the file, checked against what the
// test sent and against tshark 4.0 (the reference). Needs root and tcpdump (skips with a printed
// reason otherwise); tshark comparisons are skipped with a note when tshark is missing.

import * as http from 'node:http';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanup, freePort, skipReason, sleep } from '../scenarios/lib.js';
import { cli, dnsQuery, dnsResponse, ensureBuilt, hasTshark, ourFields, parseQuery, recordLo, tsharkFields, txt } from './lib.js';

if (skipReason) console.log(`[app-live] skipped: ${skipReason}`);
if (!skipReason && !hasTshark) console.log('[app-live] tshark is missing: the comparisons with tshark are skipped');

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, sleep(ms).then((): T => { throw new Error(`${what}: no answer within ${ms} ms`); })]);

// ---- HTTP ----------------------------------------------------------------------------------------

const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => 97 + (i % 26)));
const BODY_1K = pattern(1024);
const BODY_1M = pattern(1 << 20);
const CHUNKS = ['first chunk\n', 'second, a little longer chunk\n', 'x'.repeat(3000) + '\n', 'fourth\n', 'last one\n'];
const GZ_TEXT = 'Hello from a gzip body. '.repeat(80);
const GZ = gzipSync(Buffer.from(GZ_TEXT));
const POST_BODY = 'k=' + 'v'.repeat(298);

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const parts: Buffer[] = [];
  req.on('data', (b: Buffer) => parts.push(b));
  req.on('end', () => {
    const url = req.url ?? '';
    if (url === '/empty') {
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
    } else if (url === '/1k') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': BODY_1K.length });
      res.end(BODY_1K);
    } else if (url === '/1m') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': BODY_1M.length });
      res.end(BODY_1M);
    } else if (url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }); // no Content-Length: Node sends chunked
      let i = 0;
      const next = () => {
        if (i < CHUNKS.length) {
          res.write(CHUNKS[i++]);
          setTimeout(next, 5);
        } else res.end();
      };
      next();
    } else if (url === '/gzip') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Encoding': 'gzip', 'Content-Length': GZ.length });
      res.end(GZ);
    } else if (url === '/echo' && req.method === 'POST') {
      const body = Buffer.concat(parts);
      res.writeHead(201, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length).length });
      res.end(String(body.length));
    } else if (url === '/p1' || url === '/p2') {
      const b = url === '/p1' ? 'pipelined-one' : 'pipelined-two';
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': b.length });
      res.end(b);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
      res.end('no');
    }
  });
}

function request(agent: http.Agent, port: number, method: string, path: string, body?: string): Promise<{ status: number; body: Buffer }> {
  return withTimeout(new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length } : {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  }), 5000, `${method} ${path}`);
}

/** Two requests in ONE socket write on a raw socket; the second asks to close. Resolves with all bytes. */
function pipelined(port: number): Promise<string> {
  return withTimeout(new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('connect', () => {
      const h = `Host: 127.0.0.1:${port}\r\n`;
      s.write(`GET /p1 HTTP/1.1\r\n${h}\r\nGET /p2 HTTP/1.1\r\n${h}Connection: close\r\n\r\n`);
    });
    s.on('data', (b: Buffer) => void (got += b.toString()));
    s.on('end', () => resolve(got));
    s.on('error', reject);
  }), 5000, 'pipelined pair');
}

interface HttpJson {
  stream: number; method: string | null; uri: string | null; host: string | null; status: number | null; request_frame: number | null;
  response_frame: number | null; request_body: number; response_body: number; content_type: string | null;
  content_encoding: string | null; latency: number | null; notes: string[]; response_body_text?: string;
}

// ---- DNS -----------------------------------------------------------------------------------------

const A = 1, AAAA = 28, TXT = 16;
const TXT_RECORDS = Array.from({ length: 30 }, (_, i) => `record-${String(i).padStart(2, '0')}-` + 'abcdefghij'.repeat(11));
const MANY_A = 200;

function answer(q: ReturnType<typeof parseQuery>): Buffer {
  if (q.name === 'a.example.test') return dnsResponse(q, 0, A, [1, 2, 3].map((i) => Buffer.from([10, 0, 0, i])));
  if (q.name === 'txt.example.test') return dnsResponse(q, 0, TXT, TXT_RECORDS.map(txt));
  if (q.name === 'many.example.test') return dnsResponse(q, 0, A, Array.from({ length: MANY_A }, (_, i) => Buffer.from([10, 1, i >> 8, i & 255])));
  return dnsResponse(q, 3, q.type, []); // NXDOMAIN
}

interface DnsJson {
  transport: string; client: string; server: string; id: number; query_frame: number | null; name: string; type: string;
  response_frame: number | null; rcode: string | null; answers: string[]; latency: number | null; unanswered: boolean;
  retransmitted_queries: number[]; repeated_responses: number[]; unsolicited: boolean;
}

describe.skipIf(skipReason !== '')('HTTP and DNS on live loopback traffic (tcpdump → wiretrace CLI)', () => {
  beforeAll(() => ensureBuilt(), 150_000);
  afterAll(() => cleanup());

  test('HTTP: keep-alive (0 B, 1 kB, 1 MB, chunked, gzip, POST, 404) and a pipelined pair', async () => {
    const port = await freePort();
    const server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const seen: { status: number; body: Buffer }[] = [];
    let raw = '';
    let rec: { file: string; report: string };
    try {
      rec = await recordLo('http.pcap', `tcp port ${port}`, async () => {
        for (const [m, p, b] of [['GET', '/empty'], ['GET', '/1k'], ['GET', '/1m'], ['GET', '/chunked'], ['GET', '/gzip'], ['POST', '/echo', POST_BODY], ['GET', '/missing']] as const) {
          seen.push(await request(agent, port, m, p, b));
        }
        raw = await pipelined(port);
      });
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    // the traffic itself went as planned, and tcpdump lost nothing
    expect(seen.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 201, 404]);
    expect(seen[2].body.equals(BODY_1M)).toBe(true);
    expect(seen[3].body.toString()).toBe(CHUNKS.join(''));
    expect(raw).toContain('pipelined-one');
    expect(raw).toContain('pipelined-two');
    expect(rec.report).toMatch(/\b0 packets dropped by kernel/);
    const file = rec.file;

    const list = JSON.parse(cli('http', file, '-T', 'json', '--show-body')) as HttpJson[];
    const want = [
      { method: 'GET', uri: '/empty', status: 200, response_body: 0 },
      { method: 'GET', uri: '/1k', status: 200, response_body: 1024 },
      { method: 'GET', uri: '/1m', status: 200, response_body: 1 << 20 },
      { method: 'GET', uri: '/chunked', status: 200, response_body: CHUNKS.join('').length }, // de-chunked
      { method: 'GET', uri: '/gzip', status: 200, response_body: GZ.length }, // on the wire (compressed)
      { method: 'POST', uri: '/echo', status: 201, response_body: 3 },
      { method: 'GET', uri: '/missing', status: 404, response_body: 2 },
      { method: 'GET', uri: '/p1', status: 200, response_body: 13 },
      { method: 'GET', uri: '/p2', status: 200, response_body: 13 },
    ];
    expect(list.map((t) => ({ method: t.method, uri: t.uri, status: t.status, response_body: t.response_body }))).toEqual(want);
    for (const t of list) {
      expect(t.host).toBe(`127.0.0.1:${port}`);
      expect(t.latency).toBeGreaterThan(0);
      expect(t.latency).toBeLessThan(5);
      expect(t.response_frame!).toBeGreaterThan(t.request_frame!);
      expect(t.notes).toEqual([]);
    }
    // one keep-alive connection for the agent's seven, another for the pipelined pair
    expect(list.map((t) => t.stream)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1]); // tcp.stream
    // the pipelined requests were completed by the same frame (one socket write)
    expect(list[7].request_frame).toBe(list[8].request_frame);
    expect(list[5].request_body).toBe(POST_BODY.length);
    expect(list[4].content_encoding).toBe('gzip');
    expect(list[4].content_type).toBe('text/plain; charset=utf-8');
    // decoded bodies: gzip inflated, chunked joined, 1 MB cut at 4 kB with the rest counted
    expect(list[4].response_body_text).toBe(GZ_TEXT);
    expect(list[3].response_body_text).toBe(CHUNKS.join(''));
    expect(list[1].response_body_text).toBe(BODY_1K.toString());
    expect(list[2].response_body_text).toBe(BODY_1M.subarray(0, 4096).toString() + `\n… (${(1 << 20) - 4096} more bytes)`);
    expect(list[0].response_body_text).toBe('');
    // the table prints the decoded gzip text too
    const table = cli('http', file, '--show-body');
    expect(table).toContain('HTTP transactions: 9\n');
    expect(table).toContain(`== GET 127.0.0.1:${port}/gzip → 200\n-- response body --\n${GZ_TEXT}\n`);

    // per-packet fields: the same frames and values as tshark (HTTP decoded on our port with -d)
    const keys = ['frame.number', 'http.request.method', 'http.request.uri', 'http.response.code', 'http.content_length', 'http.request_in', 'http.time'];
    const ours = ourFields(file, [], keys).filter((r) => r.slice(1).some((c) => c !== ''));
    const reqs = ours.filter((r) => r[1] !== '');
    const resps = ours.filter((r) => r[3] !== '');
    expect(reqs.map((r) => r[1])).toEqual(['GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'GET', 'GET,GET']);
    expect(resps.map((r) => r[3])).toEqual(['200', '200', '200', '200', '200', '201', '404', '200', '200']);
    expect(resps.map((r) => r[4])).toEqual(['0', '1024', String(1 << 20), '', String(GZ.length), '3', '2', '13', '13']);
    for (const r of resps) expect(Number(r[6])).toBeGreaterThan(0);
    if (hasTshark) {
      const ref = tsharkFields(file, ['-d', `tcp.port==${port},http`], keys).filter((r) => r.slice(1).some((c) => c !== ''));
      // tshark 4.0 pairs responses with requests by frame number: of two requests completed by one
      // frame only the first gets its response paired, so the second pipelined response has no
      // http.request_in / http.time there. We pair it (same request frame, later response).
      const last = ref[ref.length - 1];
      expect(last.slice(5)).toEqual(['', '']);
      expect(ours[ours.length - 1].slice(5, 6)).toEqual([String(list[8].request_frame)]);
      expect(ours.map((r, i) => (i === ours.length - 1 ? r.slice(0, 5) : r))).toEqual(ref.map((r, i) => (i === ref.length - 1 ? r.slice(0, 5) : r)));
      // and the CLI's latency is tshark's http.time on the response frame (ours' own for the last one)
      const time = new Map(ours.filter((r) => r[6] !== '').map((r) => [Number(r[0]), Number(r[6])]));
      for (const r of ref) if (r[6] !== '') expect(time.get(Number(r[0]))).toBe(Number(r[6]));
      for (const t of list) expect(Math.abs(t.latency! - time.get(t.response_frame!)!)).toBeLessThan(1e-9);
    }
  }, 30_000);

  test('DNS: UDP (A, NXDOMAIN) and TCP with responses over several segments (30 TXT, 200 A)', async () => {
    // a loopback address of our own for port 53, so nothing else on the machine answers or collides
    const addr = `127.53.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const udp = dgram.createSocket('udp4');
    udp.on('message', (m, r) => udp.send(answer(parseQuery(m)), r.port, r.address));
    await new Promise<void>((r) => udp.bind(53, addr, r));
    const sent = new Map<number, number>(); // response sizes over TCP, by id
    const tcpSrv = net.createServer((s) => {
      s.setNoDelay(true);
      let buf = Buffer.alloc(0);
      let queue = Promise.resolve();
      s.on('error', () => {});
      s.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf, b]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const q = parseQuery(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
          const resp = answer(q);
          sent.set(q.id, resp.length);
          const msg = Buffer.concat([Buffer.from([resp.length >> 8, resp.length & 255]), resp]);
          // three writes with pauses: the response really spans several segments
          const cuts = [0, 700, 1900, msg.length];
          queue = queue.then(async () => {
            for (let i = 0; i < 3; i++) {
              s.write(msg.subarray(cuts[i], cuts[i + 1]));
              if (i < 2) await sleep(20);
            }
          });
        }
      });
    });
    await new Promise<void>((r) => tcpSrv.listen(53, addr, r));

    const udpAsk = (id: number, name: string, type: number) => withTimeout(new Promise<Buffer>((resolve) => {
      const c = dgram.createSocket('udp4');
      c.on('message', (m) => {
        c.close();
        resolve(m);
      });
      c.send(dnsQuery(id, name, type), 53, addr);
    }), 3000, `UDP query ${name}`);
    const tcpAsk = () => withTimeout(new Promise<Buffer[]>((resolve, reject) => {
      const s = net.connect(53, addr);
      const got: Buffer[] = [];
      let buf = Buffer.alloc(0);
      const ask = (id: number, name: string, type: number) => {
        const q = dnsQuery(id, name, type);
        s.write(Buffer.concat([Buffer.from([q.length >> 8, q.length & 255]), q]));
      };
      s.on('connect', () => ask(0x3333, 'txt.example.test', TXT));
      s.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf, b]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          got.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
          if (got.length === 1) ask(0x4444, 'many.example.test', A);
          else s.end();
        }
      });
      s.on('close', () => resolve(got));
      s.on('error', reject);
    }), 5000, 'TCP queries');

    let rec: { file: string; report: string };
    const replies: Buffer[] = [];
    try {
      rec = await recordLo('dns.pcap', `host ${addr} and port 53`, async () => {
        replies.push(await udpAsk(0x1111, 'a.example.test', A));
        replies.push(await udpAsk(0x2222, 'nx.example.test', AAAA));
        replies.push(...(await tcpAsk()));
      });
    } finally {
      udp.close();
      await new Promise<void>((r) => tcpSrv.close(() => r()));
    }
    expect(replies.map((r) => r.readUInt16BE(6))).toEqual([3, 0, 30, MANY_A]); // ANCOUNT the client got
    expect(sent.get(0x3333)!).toBeGreaterThan(1460);
    expect(sent.get(0x4444)!).toBeGreaterThan(1460);
    expect(rec.report).toMatch(/\b0 packets dropped by kernel/);
    const file = rec.file;

    const list = JSON.parse(cli('dns', file, '-T', 'json')) as DnsJson[];
    expect(list.map((t) => [t.transport, t.id, t.name, t.type, t.rcode, t.answers.length])).toEqual([
      ['udp', 0x1111, 'a.example.test', 'A', 'NOERROR', 3],
      ['udp', 0x2222, 'nx.example.test', 'AAAA', 'NXDOMAIN', 0],
      ['tcp', 0x3333, 'txt.example.test', 'TXT', 'NOERROR', 30],
      ['tcp', 0x4444, 'many.example.test', 'A', 'NOERROR', 32], // the JSON lists at most 32 answers
    ]);
    expect(list[0].answers).toEqual(['A 10.0.0.1', 'A 10.0.0.2', 'A 10.0.0.3']);
    expect(list[2].answers).toEqual(TXT_RECORDS.map((s) => `TXT ${s}`));
    expect(list[3].answers.slice(0, 2)).toEqual(['A 10.1.0.0', 'A 10.1.0.1']);
    for (const t of list) {
      expect(t.server).toBe(`${addr}:53`);
      expect(t.latency).toBeGreaterThan(0);
      expect(t.latency).toBeLessThan(3);
      expect(t.response_frame!).toBeGreaterThan(t.query_frame!);
      expect([t.unanswered, t.unsolicited, t.retransmitted_queries.length, t.repeated_responses.length]).toEqual([false, false, 0, 0]);
    }
    expect(list[2].client).toBe(list[3].client); // one TCP connection for both
    expect(list[3].latency).toBeGreaterThan(0.04); // two 20 ms pauses inside the response

    // per packet: the reassembled responses carry every answer, over more than one segment
    const keys = ['frame.number', 'dns.id', 'dns.flags.response', 'dns.count.answers', 'dns.response_to', 'dns.time', 'tcp.segment.count', 'tcp.reassembled.length'];
    const ours = ourFields(file, [], keys).filter((r) => r[1] !== '');
    const resp = ours.filter((r) => r[2] === 'True' || r[2] === '1');
    expect(resp.map((r) => [r[1], r[3]])).toEqual([['0x1111', '3'], ['0x2222', '0'], ['0x3333', '30'], ['0x4444', String(MANY_A)]]);
    expect(Number(resp[2][6])).toBeGreaterThanOrEqual(3);
    expect(Number(resp[3][6])).toBeGreaterThanOrEqual(3);
    expect(Number(resp[2][7])).toBe(2 + sent.get(0x3333)!);
    expect(Number(resp[3][7])).toBe(2 + sent.get(0x4444)!);
    for (const [i, t] of list.entries()) {
      expect(Number(resp[i][0])).toBe(t.response_frame);
      expect(Number(resp[i][4])).toBe(t.query_frame);
      expect(Math.abs(Number(resp[i][5]) - t.latency!)).toBeLessThan(1e-9);
    }
    if (hasTshark) expect(ours).toEqual(tsharkFields(file, [], keys).filter((r) => r[1] !== ''));
  }, 30_000);
});
