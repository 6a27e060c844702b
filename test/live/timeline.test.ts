// `wiretrace capture --timeline` on lo with a connection the test makes: the TCP tracker runs on
// each packet as it arrives and prints follow's sliding-window rows; the live table shows relative
// Seq/Ack like `read`. As root with cap built and dist/ present (else skipped with the reason).

import { describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { capBuilt, isRoot } from './helpers.js';
import { hasDist, runCli, sleep, type Run } from './run.js';

const skipReason = !isRoot ? 'not root' : !capBuilt() ? 'cap is not built (apt-get install libpcap-dev && npm rebuild cap)' : !hasDist ? 'dist/ missing: run npm run build first' : '';
if (skipReason) console.warn(`test/live/timeline.test.ts: live timeline tests skipped: ${skipReason}`);
const live = describe.skipIf(skipReason !== '');

async function listen(onConn: (s: net.Socket) => void): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer(onConn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** Rows of the timeline for stream 0, split into cells: [stream, time, dir, flags, seq, ack, len, win, …]. */
function rows(out: string): string[][] {
  return out.split('\n').filter((l) => /^\s+0\s+\d+\.\d{6}\s/.test(l)).map((l) => l.trim().split(/\s+/));
}

async function until(pred: () => boolean, ms: number): Promise<boolean> {
  for (let t = 0; t < ms; t += 50) {
    if (pred()) return true;
    await sleep(50);
  }
  return pred();
}

live('wiretrace capture --timeline on lo', () => {
  it('-c 3: the handshake rows (SYN, SYN/ACK, ACK) with relative numbers and scaled windows', { timeout: 15_000 }, async () => {
    const { server, port } = await listen(() => {});
    const run: Run = runCli(['capture', '-i', 'lo', '-f', `tcp port ${port}`, '--timeline', '-c', '3', '--no-color']);
    await run.ready;
    const c = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => c.on('connect', r));
    const cport = c.localPort;
    const { code } = await run.exit;
    c.destroy();
    server.close();
    expect(code, run.stderr()).toBe(0);
    const out = run.stdout().toString();
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Stream\s+Time Dir Flags\s+Seq\s+Ack\s+Len\s+Win\s+InFlight\s+RwndLeft Analysis$/);
    expect(lines[1]).toBe(`stream 0: client 127.0.0.1:${cport} → server 127.0.0.1:${port}`);
    const r = rows(out);
    expect(r.map((x) => [x[2], x[3], x[4]])).toEqual([['→', 'SYN', '0'], ['←', 'SYN,ACK', '0'], ['→', 'ACK', '1']]);
    expect(r[0][5]).toBe('0'); // SYN: no Ack column value; len 0
    expect(r[1].slice(5, 7)).toEqual(['1', '0']); // SYN/ACK acks 1, len 0
    expect(r[2].slice(5, 7)).toEqual(['1', '0']);
    // the SYN's window is never scaled (65495 on lo with MSS 65495); after it: raw << wscale (>= 65536 on lo)
    expect(Number(r[0][6])).toBe(65495);
    expect(Number(r[2][7])).toBeGreaterThanOrEqual(65536);
    expect(r[2][7]).not.toContain('?');
    expect(run.stderr()).toContain('3 packets captured');
  });

  it('rows appear while the capture runs; data and close follow; SIGINT ends it', { timeout: 15_000 }, async () => {
    const { server, port } = await listen((s) => s.on('data', () => s.end('pong')));
    const run = runCli(['capture', '-i', 'lo', '-f', `tcp port ${port}`, '--timeline', '--no-color']);
    await run.ready;
    const c = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => c.on('connect', r));
    // the handshake is printed before the capture stops (not held in a 64 KiB buffer)
    expect(await until(() => rows(run.stdout().toString()).length >= 3, 8000), run.stdout().toString()).toBe(true);
    expect(run.child.exitCode).toBe(null);
    c.write('ping');
    c.on('data', () => {});
    await new Promise<void>((r) => c.on('close', () => r()));
    // the close: both FINs and the last ACK
    expect(await until(() => rows(run.stdout().toString()).filter((x) => x[3].includes('FIN')).length === 2, 8000)).toBe(true);
    await sleep(200);
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    server.close();
    expect(code, run.stderr()).toBe(0);
    const r = rows(run.stdout().toString());
    const ping = r.find((x) => x[2] === '→' && x[6] === '4')!;
    const pong = r.find((x) => x[2] === '←' && x[6] === '4')!;
    expect([ping[4], ping[5]]).toEqual(['1', '1']);
    expect(pong[4]).toBe('1');
    expect(pong[5]).toBe('5');
    const fins = r.filter((x) => x[3].includes('FIN'));
    expect(fins.map((x) => x[4]).sort()).toEqual(['5', '5']);
    expect(r.every((x) => x[0] === '0')).toBe(true);
    const n = Number(/(\d+) packets captured/.exec(run.stderr())![1]);
    expect(r.length).toBe(n);
  });

  it('the live table shows relative Seq/Ack like read', { timeout: 15_000 }, async () => {
    const { server, port } = await listen(() => {});
    const run = runCli(['capture', '-i', 'lo', '-f', `tcp port ${port}`, '-c', '3', '--no-color']);
    await run.ready;
    const c = net.connect(port, '127.0.0.1');
    const { code } = await run.exit;
    c.destroy();
    server.close();
    expect(code, run.stderr()).toBe(0);
    const lines = run.stdout().toString().trim().split('\n');
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/\[SYN\] Seq=0 Win=65495 Len=0 MSS=65495/);
    expect(lines[1]).toMatch(/\[SYN, ACK\] Seq=0 Ack=1 Win=\d+ Len=0/);
    expect(lines[2]).toMatch(/\[ACK\] Seq=1 Ack=1 Win=\d+ Len=0/);
  });

  it('--timeline refuses packet display options', { timeout: 15_000 }, async () => {
    const run = runCli(['capture', '-i', 'lo', '--timeline', '-T', 'json']);
    const { code } = await run.exit;
    expect(code).toBe(2);
    expect(run.stderr()).toContain('--timeline prints the TCP timeline instead of the packet display');
  });
});
