// Pure pieces of live capture: netmask prefixes, device lines, link types, original length when
// the snaplen cut a frame, the bounded display queue, -a parsing, privilege targets.

import { describe, expect, it } from 'vitest';
import { defaultDevice, formatDevice, guessOrigLen, HostClock, linkTypeFromCap, LiveQueue, prefixLength, type DeviceInfo } from '../../src/capture/live.js';
import { dropTarget, isPermissionError, lookupUser, noPermissionMessage } from '../../src/capture/privileges.js';
import { parseAutostop } from '../../src/cli/capture.js';
import type { Frame } from '../../src/capture/types.js';

const dev = (name: string, o: Partial<DeviceInfo> = {}): DeviceInfo => ({
  name, addresses: [], up: true, running: true, loopback: false, wireless: false, flagsKnown: true, ...o,
});
const frame = (i: number): Frame => ({ index: i, ts: BigInt(i), tsPrecision: 9, linkType: 1, ifIndex: 0, data: new Uint8Array(1), origLen: 1 });

describe('live capture helpers', () => {
  it('netmask → prefix length', () => {
    expect(prefixLength('255.255.255.0')).toBe(24);
    expect(prefixLength('255.0.0.0')).toBe(8);
    expect(prefixLength('255.255.255.255')).toBe(32);
    expect(prefixLength('0.0.0.0')).toBe(0);
    expect(prefixLength('255.0.255.0')).toBeNull();
    expect(prefixLength('ffff:ffff:ffff:ffff::')).toBe(64);
    expect(prefixLength('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(128);
    expect(prefixLength('ffff:ff80::')).toBe(25);
  });

  it('device lines like tcpdump -D, with addresses', () => {
    expect(formatDevice(dev('lo', { loopback: true, addresses: ['127.0.0.1/8', '::1/128'] }), 3)).toBe('3.lo [Up, Running, Loopback] 127.0.0.1/8 ::1/128');
    expect(formatDevice(dev('any', { description: 'Pseudo-device that captures on all interfaces' }), 2)).toBe('2.any (Pseudo-device that captures on all interfaces) [Up, Running]');
    expect(formatDevice(dev('ifb0', { up: false, running: false }), 4)).toBe('4.ifb0 [none]');
    expect(formatDevice(dev('wlan0', { wireless: true, running: false }), 1)).toBe('1.wlan0 [Up, Wireless]');
  });

  it('default device: first up non-loopback, never a down one', () => {
    expect(defaultDevice([dev('lo', { loopback: true }), dev('eth1', { up: false }), dev('any'), dev('eth0')])).toBe('eth0');
    expect(defaultDevice([dev('any'), dev('lo', { loopback: true })])).toBe('lo');
  });

  it("cap's link type names → LINKTYPE numbers", () => {
    expect(linkTypeFromCap('ETHERNET')).toBe(1);
    expect(linkTypeFromCap('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(linkTypeFromCap('RAW')).toBe(101);
    expect(linkTypeFromCap('NULL')).toBe(0);
    expect(linkTypeFromCap('Unknown linktype 276')).toBe(276);
  });

  it('original length from the IP header when the snaplen cut the frame', () => {
    const d = new Uint8Array(65535);
    d.set([0x08, 0x00], 12);
    d[14] = 0x45;
    d[16] = 0xff; // IPv4 total length 65535+? → 0xffdc = 65500
    d[17] = 0xdc;
    expect(guessOrigLen(1, d, 65535)).toBe(65535); // 14 + 65500 = 65514 < caplen: caplen wins
    d[16] = 0xff;
    d[17] = 0xff;
    expect(guessOrigLen(1, d, 65535)).toBe(14 + 65535);
    expect(guessOrigLen(1, d.subarray(0, 100), 65535)).toBe(100); // not cut: caplen
  });

  it('host clock is near the wall clock and monotonic', () => {
    const c = new HostClock();
    const a = c.now();
    const wall = BigInt(Date.now()) * 1_000_000n;
    const b = c.now();
    expect(b >= a).toBe(true);
    expect(Number(a - wall) / 1e6).toBeGreaterThan(-5);
    expect(Number(a - wall) / 1e6).toBeLessThan(5);
  });

  it('display queue: bounded, counts skipped frames, yields in order, ends', async () => {
    const q = new LiveQueue(3, 2);
    for (let i = 1; i <= 5; i++) q.push(frame(i));
    expect(q.pending).toBe(3);
    expect(q.skipped).toBe(2);
    q.end();
    const got: number[][] = [];
    for await (const b of q) got.push(b.map((f) => f.index));
    expect(got).toEqual([[1, 2], [3]]);
  });

  it('display queue wakes a waiting reader', async () => {
    const q = new LiveQueue();
    const it = q[Symbol.asyncIterator]();
    const next = it.next();
    setTimeout(() => q.push(frame(7)), 5);
    expect((await next).value.map((f: Frame) => f.index)).toEqual([7]);
    q.end();
    expect((await it.next()).done).toBe(true);
  });

  it('-a duration:SEC', () => {
    expect(parseAutostop(['duration:2'])).toBe(2000);
    expect(parseAutostop(['duration:0.5'])).toBe(500);
    expect(parseAutostop(undefined)).toBe(0);
    expect(() => parseAutostop(['filesize:10'])).toThrow(/duration:SECONDS/);
  });

  it('privilege drop target and messages', () => {
    expect(dropTarget({ env: { SUDO_UID: '1000', SUDO_GID: '1001', SUDO_USER: 'ann' } })).toEqual({ uid: 1000, gid: 1001, name: 'ann' });
    expect(dropTarget({ env: {} })).toBeNull();
    expect(dropTarget({ user: 'root', env: { SUDO_UID: '1000' } })).toMatchObject({ uid: 0, gid: 0 });
    expect(lookupUser('65534')).toMatchObject({ uid: 65534 });
    expect(() => dropTarget({ user: 'no-such-user-xyz', env: {} })).toThrow(/unknown user/);
    expect(isPermissionError('socket: Operation not permitted')).toBe(true);
    expect(isPermissionError("can't parse filter expression: syntax error")).toBe(false);
    const m = noPermissionMessage('eth0');
    expect(m).not.toContain('\n');
    expect(m).toMatch(/sudo/);
    expect(m).toContain('setcap cap_net_raw,cap_net_admin+eip "$(readlink -f "$(which node)")"');
  });
});
