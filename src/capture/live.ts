// Live capture through libpcap (npm `cap`, loaded lazily: `read` works without it).
//
// Timestamps: cap hands JavaScript the packet bytes but not libpcap's pcap_pkthdr timestamp
// (cap issue 85), so each frame is stamped with the host receive time: process.hrtime.bigint()
// anchored once to the wall clock, in nanoseconds; Frame.tsSource = 'host'.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import { isPermissionError, noPermissionMessage } from './privileges.js';
import type { Frame } from './types.js';

export const CAP_MISSING_MESSAGE =
  'live capture needs the cap native module: apt-get install libpcap-dev && npm rebuild cap';

/** What the pcapng if_description and the docs say about live timestamps. */
export const HOST_TS_DESCRIPTION =
  'timestamps: host receive time (process.hrtime anchored to the wall clock, ns), not the kernel capture time';

// --- the cap module (typed just enough)
export interface CapDeviceAddress {
  addr?: string;
  netmask?: string;
  broadaddr?: string;
  dstaddr?: string;
}
export interface CapDevice {
  name: string;
  description?: string;
  addresses: CapDeviceAddress[];
  flags?: string;
}
export interface CapInstance {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): boolean;
  on(ev: 'packet', cb: (nbytes: number, truncated: boolean) => void): void;
  removeAllListeners(ev?: string): void;
  setMinBytes?(n: number): void;
}
export interface CapModule {
  Cap: { new (): CapInstance; deviceList(): CapDevice[]; findDevice(ip?: string): string | undefined };
}

let capCache: CapModule | null | undefined;

/** The cap module, or null when it is not installed/built. */
export function loadCap(): CapModule | null {
  if (capCache !== undefined) return capCache;
  if (process.env.WIRETRACE_NO_CAP === '1') return (capCache = null); // tests: behave as if not built
  try {
    const req = createRequire(import.meta.url);
    capCache = req('cap') as CapModule;
  } catch {
    capCache = null;
  }
  return capCache;
}

/** A user-facing live capture failure: one line, exit status 2. */
export class LiveError extends Error {
  constructor(
    readonly kind: 'no-cap' | 'permission' | 'filter' | 'device' | 'open',
    message: string,
  ) {
    super(message);
    this.name = 'LiveError';
  }
}

// --- devices

export interface DeviceInfo {
  name: string;
  description?: string;
  /** "192.0.2.2/24", "fd00::2/64" … */
  addresses: string[];
  up: boolean;
  running: boolean;
  loopback: boolean;
  wireless: boolean;
  /** Flags known at all (false for pseudo-devices without a /sys/class/net entry). */
  flagsKnown: boolean;
}

/** Prefix length of a netmask ("255.255.255.0" → 24, "ffff:ffff::" → 32); null when not contiguous. */
export function prefixLength(mask: string): number | null {
  let bits: number[] = [];
  if (mask.includes(':')) {
    const [head, tail] = mask.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8) return null;
    for (const g of groups) {
      const v = parseInt(g, 16);
      for (let i = 15; i >= 0; i--) bits.push((v >> i) & 1);
    }
  } else {
    const p = mask.split('.').map(Number);
    if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) return null;
    for (const v of p) for (let i = 7; i >= 0; i--) bits.push((v >> i) & 1);
  }
  const n = bits.indexOf(0) === -1 ? bits.length : bits.indexOf(0);
  if (bits.slice(n).some((b) => b === 1)) return null;
  return n;
}

function readSys(name: string, file: string): string | null {
  if (name.includes('/') || name.includes('..')) return null;
  try {
    return fs.readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim();
  } catch {
    return null;
  }
}

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

/** Flags for a device, from /sys/class/net (Linux) and what libpcap said. */
function deviceFlags(d: CapDevice): Pick<DeviceInfo, 'up' | 'running' | 'loopback' | 'wireless' | 'flagsKnown'> {
  const pcapLoop = d.flags === 'PCAP_IF_LOOPBACK';
  if (d.name === 'any') return { up: true, running: true, loopback: false, wireless: false, flagsKnown: true };
  const fl = readSys(d.name, 'flags');
  if (fl === null) {
    const wireless = /bluetooth|wlan|wifi/i.test(d.name);
    return { up: false, running: false, loopback: pcapLoop, wireless, flagsKnown: wireless || pcapLoop };
  }
  const f = parseInt(fl, 16);
  const up = (f & IFF_UP) !== 0;
  const carrier = up ? readSys(d.name, 'carrier') : null;
  const wireless = readSys(d.name, 'wireless') !== null || fs.existsSync(`/sys/class/net/${d.name}/phy80211`);
  return { up, running: up && carrier === '1', loopback: pcapLoop || (f & IFF_LOOPBACK) !== 0, wireless, flagsKnown: true };
}

/** Every device libpcap sees, in libpcap's order. Throws LiveError('no-cap') without cap. */
export function listDevices(cap: CapModule | null = loadCap()): DeviceInfo[] {
  if (!cap) throw new LiveError('no-cap', CAP_MISSING_MESSAGE);
  let devs: CapDevice[];
  try {
    devs = cap.Cap.deviceList();
  } catch (e) {
    throw new LiveError('open', `wiretrace: cannot list interfaces: ${(e as Error).message}`);
  }
  return devs.map((d) => {
    const addresses: string[] = [];
    for (const a of d.addresses ?? []) {
      if (!a.addr) continue;
      const p = a.netmask ? prefixLength(a.netmask) : null;
      addresses.push(p === null ? a.addr : `${a.addr}/${p}`);
    }
    return { name: d.name, description: d.description, addresses, ...deviceFlags(d) };
  });
}

/** tcpdump -D style line: "1.eth0 [Up, Running]" (+ addresses when asked). */
export function formatDevice(d: DeviceInfo, n: number, withAddresses = true): string {
  const flags: string[] = [];
  if (d.up) flags.push('Up');
  if (d.running) flags.push('Running');
  if (d.loopback) flags.push('Loopback');
  if (d.wireless) flags.push('Wireless');
  let s = `${n}.${d.name}`;
  if (d.description) s += ` (${d.description})`;
  s += ` [${flags.length ? flags.join(', ') : 'none'}]`;
  if (withAddresses && d.addresses.length) s += ' ' + d.addresses.join(' ');
  return s;
}

/** tcpdump's default: the first device that is up and not a loopback (not 'any'), else the first up one. */
export function defaultDevice(devs: DeviceInfo[]): string | null {
  const real = devs.filter((d) => d.name !== 'any' && d.up);
  return (real.find((d) => !d.loopback) ?? real[0] ?? devs.find((d) => d.name === 'any'))?.name ?? null;
}

/** One line for a name libpcap does not know, listing the ones it does. */
export function unknownDeviceMessage(name: string, devs: DeviceInfo[]): string {
  return `wiretrace: no interface "${name}"; interfaces: ${devs.map((d) => d.name).join(', ')} (see wiretrace interfaces)`;
}

// --- link types

/** cap's open() return value → LINKTYPE_* number. */
export function linkTypeFromCap(name: string): number {
  switch (name) {
    case 'NULL':
      return 0;
    case 'ETHERNET':
      return 1;
    case 'IEEE802_11_RADIO':
      return 127;
    case 'LINKTYPE_LINUX_SLL':
      return 113;
    case 'RAW':
      return 101;
  }
  const m = /Unknown linktype (\d+)/.exec(name);
  if (m) {
    const dlt = Number(m[1]);
    // DLT values that differ from the LINKTYPE values (pcap-common.c).
    if (dlt === 12 || dlt === 14) return 101; // DLT_RAW on some systems
    return dlt;
  }
  return 1;
}

/**
 * Original length when libpcap cut the frame at the snaplen (cap does not pass pcap_pkthdr.len):
 * from the IPv4 total length or IPv6 payload length behind Ethernet, SLL or raw IP. Otherwise the
 * captured length.
 */
export function guessOrigLen(linkType: number, d: Uint8Array, snaplen: number): number {
  if (d.length < snaplen) return d.length;
  let off = -1;
  let et = -1;
  if (linkType === 1 && d.length >= 14) {
    off = 14;
    et = (d[12] << 8) | d[13];
  } else if (linkType === 113 && d.length >= 16) {
    off = 16;
    et = (d[14] << 8) | d[15];
  } else if (linkType === 101 || linkType === 12) {
    off = 0;
    et = d[0] >> 4 === 6 ? 0x86dd : 0x0800;
  }
  if (off < 0 || d.length < off + 8) return d.length;
  if (et === 0x0800 && d[off] >> 4 === 4) return Math.max(d.length, off + ((d[off + 2] << 8) | d[off + 3]));
  if (et === 0x86dd && d[off] >> 4 === 6) return Math.max(d.length, off + 40 + ((d[off + 4] << 8) | d[off + 5]));
  return d.length;
}

// --- the host clock

/** Host receive time in ns since the epoch: process.hrtime.bigint() anchored once to the wall clock. */
export class HostClock {
  private readonly base: bigint;
  private readonly hr0: bigint;
  constructor() {
    // Anchor at the edge of a Date.now() millisecond tick, so the anchor error is ~µs, not up to 1 ms:
    // the tick happened between the last hrtime read that still saw the old millisecond and the
    // read after the new one. A process descheduled inside that window (a loaded machine) widens
    // it by milliseconds, so take the narrowest of a few ticks, and anchor at the window's start:
    // host times then never come out earlier than the true time, only later by at most the width.
    let base = BigInt(Date.now()) * 1_000_000n;
    let hr0 = process.hrtime.bigint();
    let best = -1n;
    for (let i = 0; i < 5; i++) {
      // `before`: an hrtime read before the last Date.now() that still returned d0, so the tick
      // (when Date.now() turned d) lies between `before` and `after`
      let before = process.hrtime.bigint();
      const d0 = Date.now();
      const limit = before + 3_000_000n; // bounded: at most ~3 ms of spinning per tick
      let d = d0;
      let after = before;
      for (;;) {
        const h1 = process.hrtime.bigint();
        d = Date.now();
        after = process.hrtime.bigint();
        if (d !== d0 || after > limit) break;
        before = h1;
      }
      if (d === d0) continue;
      const width = after - before;
      if (best < 0n || width < best) {
        best = width;
        base = BigInt(d) * 1_000_000n;
        hr0 = before;
      }
      if (width < 20_000n) break; // within 20 µs: good enough
    }
    this.base = base;
    this.hr0 = hr0;
  }
  now(): bigint {
    return this.base + (process.hrtime.bigint() - this.hr0);
  }
}

// --- the live source

export interface LiveOptions {
  device: string;
  filter?: string;
  /**
   * Kernel/libpcap ring size in bytes (default 32 MiB). cap opens with snaplen 65535 in immediate
   * mode (TPACKET_V2): every packet takes a ~64 KiB slot, so 32 MiB holds ~500 packets of backlog.
   */
  bufSize?: number;
}

/** Instances whose open() failed: never closed, never collected (see LiveSource). */
const failedHandles: CapInstance[] = [];

/** cap always opens with snaplen 65535. */
export const LIVE_SNAPLEN = 65535;

/**
 * An open capture device. Frames are delivered synchronously from cap's 'packet' event: each one
 * owns a copy of its bytes and a host timestamp. Call start(onFrame) after dropping privileges.
 */
export class LiveSource {
  readonly linkType: number;
  readonly linkTypeName: string;
  readonly device: string;
  private readonly cap: CapInstance;
  private readonly buf: Buffer;
  private closed = false;
  private index = 0;
  readonly clock = new HostClock();

  constructor(cap: CapModule, o: LiveOptions) {
    this.device = o.device;
    this.buf = Buffer.alloc(LIVE_SNAPLEN + 16);
    const c = new cap.Cap();
    const filter = o.filter ?? '';
    const bufSize = o.bufSize ?? 32 << 20;
    let name: string;
    try {
      name = c.open(o.device, filter, bufSize, this.buf);
    } catch (e) {
      const msg = (e as Error).message;
      // cap leaves a half-open handle when open() fails after pcap_create (e.g. a bad filter):
      // close() or its destructor would then stop a uv_poll that was never started and crash.
      // Keep the instance referenced and never close it (the command exits right after).
      failedHandles.push(c);
      if (isPermissionError(msg)) throw new LiveError('permission', noPermissionMessage(o.device));
      if (filter !== '') {
        // Was it the filter? Open again without it: if that works, the filter is at fault.
        const probe = new cap.Cap();
        let deviceOk = false;
        try {
          probe.open(o.device, '', 1 << 16, Buffer.alloc(64));
          deviceOk = true;
        } catch {
          failedHandles.push(probe); // the device itself fails (see above)
        }
        if (deviceOk) probe.close();
        if (deviceOk) throw new LiveError('filter', `wiretrace: bad capture filter "${filter}": ${msg}`);
      }
      throw new LiveError('open', `wiretrace: cannot capture on ${o.device}: ${msg}`);
    }
    c.setMinBytes?.(0);
    this.cap = c;
    this.linkTypeName = name;
    this.linkType = linkTypeFromCap(name);
  }

  /** Deliver frames to onFrame, from now on. */
  start(onFrame: (f: Frame) => void): void {
    const buf = this.buf;
    const lt = this.linkType;
    this.cap.on('packet', (nbytes: number) => {
      if (this.closed) return;
      const ts = this.clock.now();
      const data = Uint8Array.prototype.slice.call(buf, 0, nbytes) as Uint8Array;
      const f: Frame = {
        index: ++this.index,
        ts,
        tsPrecision: 9,
        linkType: lt,
        ifIndex: 0,
        data,
        origLen: guessOrigLen(lt, data, LIVE_SNAPLEN),
        tsSource: 'host',
      };
      onFrame(f);
    });
  }

  /** Frames delivered so far. */
  get count(): number {
    return this.index;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.cap.close();
    } catch {
      /* already closed */
    }
    this.cap.removeAllListeners('packet');
  }
}

// --- bounded display queue

/**
 * Frames waiting for the (slower) display pipeline, as a FrameSource (AsyncIterable<Frame[]>) for
 * runPipeline. The capture callback pushes every frame (after the file writer has it); the
 * pipeline pulls batches. When `max` frames already wait, a new frame is not queued: it is counted
 * in `skipped`. Memory is bounded by max frames.
 */
export class LiveQueue implements AsyncIterable<Frame[]> {
  private q: Frame[] = [];
  private ended = false;
  private wake: (() => void) | null = null;
  skipped = 0;
  queued = 0;

  constructor(
    private readonly max = 10_000,
    private readonly batch = 64,
  ) {}

  get pending(): number {
    return this.q.length;
  }

  push(f: Frame): void {
    if (this.ended) return;
    if (this.q.length >= this.max) {
      this.skipped++;
      return;
    }
    this.q.push(f);
    this.queued++;
    this.signal();
  }

  /** No more frames: the iterator ends once the queue is empty. */
  end(): void {
    this.ended = true;
    this.signal();
  }

  /** Called by runPipeline when the display stops early (EPIPE): drop what waits. */
  close(): void {
    this.ended = true;
    this.q = [];
    this.signal();
  }

  private signal(): void {
    const w = this.wake;
    if (w) {
      this.wake = null;
      w();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Frame[]> {
    for (;;) {
      if (this.q.length > 0) {
        const out = this.q.length <= this.batch ? this.q : this.q.slice(0, this.batch);
        this.q = this.q.length <= this.batch ? [] : this.q.slice(this.batch);
        yield out;
        // Let cap's poll callback run between batches, so packets keep flowing to the writer.
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }
}
