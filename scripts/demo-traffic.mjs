// Real traffic (client 127.0.0.2, servers 127.0.0.1) for the demo capture (fixtures/demo.pcapng), run by scripts/make-demo.sh inside a
// private network namespace. Everything goes to 127.0.0.1 / ::1. Bounded: a fixed list of steps.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- a tiny authoritative DNS responder: A and AAAA for demo.example, NXDOMAIN otherwise
function name(buf, off) {
  const labels = [];
  while (buf[off] !== 0) { labels.push(buf.subarray(off + 1, off + 1 + buf[off]).toString()); off += buf[off] + 1; }
  return { name: labels.join('.'), end: off + 1 };
}
const dns = dgram.createSocket('udp4');
dns.on('message', (q, rinfo) => {
  const { name: qname, end } = name(q, 12);
  const qtype = q.readUInt16BE(end);
  const question = q.subarray(12, end + 4);
  const known = qname === 'demo.example';
  const answers = [];
  if (known && qtype === 1) answers.push(Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, 1]));
  if (known && qtype === 28) answers.push(Buffer.concat([Buffer.from([0xc0, 0x0c, 0, 28, 0, 1, 0, 0, 0x0e, 0x10, 0, 16]), Buffer.from('00000000000000000000000000000001', 'hex')]));
  const h = Buffer.alloc(12);
  q.copy(h, 0, 0, 2);
  h.writeUInt16BE(0x8400 | (q[2] & 1) << 8 | (known ? 0 : 3), 2);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(answers.length, 6);
  dns.send(Buffer.concat([h, question, ...answers]), rinfo.port, rinfo.address);
});
await new Promise((r) => dns.bind(53, '127.0.0.1', r));

function query(id, qname, qtype) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.2');
    const parts = qname.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
    const q = Buffer.concat([Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), ...parts, Buffer.from([0, 0, qtype, 0, 1])]);
    const t = setTimeout(() => { s.close(); resolve(null); }, 1000);
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m); });
    s.send(q, 53, '127.0.0.1');
  });
}

// --- an HTTP server: a small page, a 20 kB body (several segments), and a 404
const page = '<html><body><h1>wiretrace demo</h1></body></html>\n';
const big = 'packet '.repeat(3000);
const server = http.createServer((req, res) => {
  if (req.url === '/') { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(page); }
  else if (req.url === '/data.txt') { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end(big); }
  else { res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('not found\n'); }
});
await new Promise((r) => server.listen(80, '127.0.0.1', r));

await sleep(200);
await query(0x1a2b, 'demo.example', 1);
await query(0x1a2c, 'demo.example', 28);
await query(0x1a2d, 'nothing.example', 1);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
for (const path of ['/', '/data.txt', '/missing']) {
  await new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port: 80, localAddress: '127.0.0.2', path, agent, headers: { 'User-Agent': 'wiretrace-demo/1.0' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
  });
  await sleep(50);
}
agent.destroy();
await sleep(100);
// a refused connection: nothing listens on 81 → RST
await new Promise((resolve) => { const c = net.connect({ port: 81, host: '127.0.0.1', localAddress: '127.0.0.2' }); c.on('error', resolve); c.on('connect', () => { c.destroy(); resolve(); }); });
await sleep(200);
server.close();
dns.close();
