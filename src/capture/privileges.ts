// Privileges for live capture (like tcpdump -Z): check before opening a device, and after opening
// it as root, drop to the invoking user before any packet is parsed or any output file is opened.

import * as fs from 'node:fs';

/** Bit of CAP_NET_RAW in the Linux capability sets. */
const CAP_NET_RAW = 13n;

/** The command that gives node the capture capabilities (the second fix besides sudo). */
export const SETCAP_COMMAND = 'sudo setcap cap_net_raw,cap_net_admin+eip "$(readlink -f "$(which node)")"';

/** The one line printed when capturing is not permitted. */
export function noPermissionMessage(device: string): string {
  return (
    `wiretrace: no permission to capture on ${device}: run it with sudo (sudo wiretrace capture …), ` +
    `or give node the capability once: ${SETCAP_COMMAND}`
  );
}

/** Effective capability mask of this process (Linux /proc), or null when unknown. */
export function effectiveCaps(): bigint | null {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? BigInt('0x' + m[1]) : null;
  } catch {
    return null;
  }
}

/** True when this process may open a capture device: root, or CAP_NET_RAW in the effective set. */
export function canCapture(): boolean {
  if (process.getuid?.() === 0) return true;
  const caps = effectiveCaps();
  if (caps === null) return true; // not Linux: let libpcap decide
  return ((caps >> CAP_NET_RAW) & 1n) === 1n;
}

/** Does this libpcap error say "not permitted"? */
export function isPermissionError(msg: string): boolean {
  return /permission|not permitted|EPERM|EACCES/i.test(msg);
}

export interface Account {
  uid: number;
  gid: number;
  /** User name when known (for initgroups). */
  name?: string;
}

/** Look up a user by name or numeric id in /etc/passwd. */
export function lookupUser(user: string): Account | null {
  let passwd = '';
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    /* no passwd file */
  }
  for (const line of passwd.split('\n')) {
    const p = line.split(':');
    if (p.length < 4) continue;
    if (p[0] === user || p[2] === user) return { name: p[0], uid: Number(p[2]), gid: Number(p[3]) };
  }
  if (/^\d+$/.test(user)) return { uid: Number(user), gid: Number(user) };
  return null;
}

export interface DropOptions {
  /** `-Z USER`: drop to this user (name or uid) instead of SUDO_UID/SUDO_GID. */
  user?: string;
  /** `--no-drop-privileges`: stay root. */
  keep?: boolean;
  env?: NodeJS.ProcessEnv;
}

export type DropResult =
  | { dropped: true; uid: number; gid: number }
  | { dropped: false; reason: 'not-root' | 'kept' | 'no-target' };

export class PrivilegeError extends Error {}

/** The account to drop to, or null to stay as is. Throws PrivilegeError for an unknown -Z user. */
export function dropTarget(o: DropOptions): Account | null {
  const env = o.env ?? process.env;
  if (o.user !== undefined) {
    const a = lookupUser(o.user);
    if (!a) throw new PrivilegeError(`wiretrace: unknown user "${o.user}" for -Z`);
    return a;
  }
  if (env.SUDO_UID && /^\d+$/.test(env.SUDO_UID)) {
    const uid = Number(env.SUDO_UID);
    const gid = env.SUDO_GID && /^\d+$/.test(env.SUDO_GID) ? Number(env.SUDO_GID) : uid;
    return { uid, gid, name: env.SUDO_USER || undefined };
  }
  return null;
}

/**
 * Drop root to the invoking user (SUDO_UID/SUDO_GID, or -Z USER): supplementary groups, then gid,
 * then uid, and check that root cannot be regained. Call after the capture device is open and
 * before opening output files or parsing packets. Not root: nothing to do.
 */
export function dropPrivileges(o: DropOptions = {}): DropResult {
  if (process.getuid?.() !== 0 || !process.setuid || !process.setgid) return { dropped: false, reason: 'not-root' };
  if (o.keep) return { dropped: false, reason: 'kept' };
  const t = dropTarget(o);
  if (!t || t.uid === 0) return { dropped: false, reason: 'no-target' };
  try {
    let groupsSet = false;
    const initgroups = (process as { initgroups?: (user: string, gid: number) => void }).initgroups;
    if (t.name && initgroups) {
      try {
        initgroups.call(process, t.name, t.gid);
        groupsSet = true;
      } catch {
        /* user not in the group database: fall back to just its gid */
      }
    }
    if (!groupsSet) process.setgroups?.([t.gid]);
    process.setgid(t.gid);
    process.setuid(t.uid);
  } catch (e) {
    throw new PrivilegeError(`wiretrace: could not drop privileges to uid ${t.uid}: ${(e as Error).message}`);
  }
  if (process.getuid() !== t.uid || process.geteuid?.() !== t.uid || process.getgid?.() !== t.gid) {
    throw new PrivilegeError(`wiretrace: privilege drop to uid ${t.uid} did not take effect`);
  }
  let regained = false;
  try {
    process.setuid(0);
    regained = true;
  } catch {
    /* expected */
  }
  if (regained) throw new PrivilegeError('wiretrace: privilege drop failed: root could be regained');
  return { dropped: true, uid: t.uid, gid: t.gid };
}
