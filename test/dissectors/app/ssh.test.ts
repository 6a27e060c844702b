// SSH on TCP port 22 (dissectors/ssh.ts, framed by src/analysis/http/app.ts) against tshark 4.0.17:
// fixtures/ssh-sessions.pcap and its .tshark.tsv (columns, frame.protocols and 25 ssh.* keys), made
// by scripts/ssh-fixture.sh: stream 0 aes128-cbc with diffie-hellman-group-exchange-sha256, stream 1
// aes128-ctr with curve25519-sha256, stream 2 an HTTP request sent to port 22.
//
// tshark 4.0 tries to decrypt AES-CTR (and chacha20-poly1305, AES-GCM) without keys: after New Keys
// its Info for stream 1 is only "Client: " / "Server: ", with no ssh.* fields, and a New Keys
// segment that goes on into encrypted bytes does not name them; wiretrace shows those bytes as
// tshark does for the ciphers it does not try (stream 0, equal cell for cell): "Encrypted packet
// (len=N)". Its last row of stream 2 is "Encrypted packet (len=2)[Malformed Packet]" without the
// direction; ours "Server: Encrypted packet (len=2)".

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { walkFields } from '../../../src/dissect/chain.js';
import { newSshSession, ssh, sshLayer } from '../../../dissectors/ssh.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');

async function run(args: string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.code).toBe(0);
  return r.out;
}

describe('SSH as tshark 4.0 shows it', () => {
  it('ssh-sessions.pcap: every cell equal but where tshark 4.0 tried to decrypt without keys', async () => {
    const want = readFileSync(join(FX, 'ssh-sessions.pcap.tshark.tsv'), 'utf8').split('\n');
    const keys = want[0].split('\t');
    const got = (await run(['read', '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a', ...keys.flatMap((k) => ['-e', k]), join(FX, 'ssh-sessions.pcap')])).split('\n');
    expect(got.length).toBe(want.length);
    const col = (k: string) => keys.indexOf(k);
    const bad: string[] = [];
    let excused = 0, sshRows = 0, streamZero = 0;
    for (let i = 1; i < want.length - 1; i++) {
      const t = want[i].split('\t');
      const o = got[i].split('\t');
      if (t[col('_ws.col.Protocol')].startsWith('SSH')) sshRows++;
      const info = t[col('_ws.col.Info')];
      const stream = t[col('tcp.stream')];
      if (stream === '0' && t[col('_ws.col.Protocol')].startsWith('SSH')) streamZero++;
      const tried = stream === '1' && (info === 'Client: ' || info === 'Server: ' || o[col('_ws.col.Info')].startsWith(info + ', Encrypted packet (len='));
      const quirk = stream === '2' && info === 'Encrypted packet (len=2)[Malformed Packet]';
      if (stream !== '0' && (tried || quirk)) {
        excused++;
        continue;
      }
      for (let k = 0; k < keys.length; k++) if (t[k] !== o[k]) bad.push(`frame ${i} ${keys[k]}: tshark "${t[k]}" | wiretrace "${o[k]}"`);
    }
    expect(bad).toEqual([]);
    // every SSH row of the CBC session is compared; the excused ones are only stream 1's encrypted
    // rows and stream 2's last
    expect(streamZero).toBeGreaterThan(20);
    expect(excused).toBeLessThan(sshRows - streamZero);
  });

  it('HASSH, the key exchange method\'s message names, "Encrypted packet" from New Keys on', async () => {
    const got = await run(['read', '-Y', 'ssh && tcp.stream == 1', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info', '-e', 'ssh.kex.hassh', join(FX, 'ssh-sessions.pcap')]);
    const rows = got.split('\n').slice(0, 8).map((r) => r.split('\t').slice(1).join(' | '));
    expect(rows[0]).toMatch(/^Client: Protocol \(SSH-2\.0-OpenSSH_/);
    expect(rows[2]).toMatch(/^Client: Key Exchange Init \| [0-9a-f]{32}$/);
    expect(rows[4]).toBe('Client: Elliptic Curve Diffie-Hellman Key Exchange Init | ');
    expect(rows[5]).toMatch(/^Server: Elliptic Curve Diffie-Hellman Key Exchange Reply, New Keys, Encrypted packet \(len=\d+\) \| $/);
    expect(rows[7]).toMatch(/^(Client|Server): Encrypted packet \(len=\d+\) \| $/);
  });
});

describe('SSH: hostile bytes', () => {
  it('random items (seeded, bounded): no exception escapes', () => {
    let seed = 0x55;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const b = new Uint8Array(1 + (rnd() % 120));
      for (let k = 0; k < b.length; k++) b[k] = rnd();
      if (i % 3 === 0) b.set([0, 0, 0, Math.min(255, b.length - 4), 4, 20].slice(0, b.length));
      const kind = (['banner', 'packet', 'encrypted'] as const)[i % 3];
      const l = sshLayer(b, 0, b.length, [{ kind, start: 0, end: b.length, code: b[5] ?? -1 }], newSshSession(), (i & 1) === 0);
      expect(() => {
        walkFields([l], () => undefined);
        ssh.info!(l, [l]);
      }).not.toThrow();
    }
  });
});
