// The timestamp tshark 4.0 reads from the start of an ICMP echo's data (what ping writes there):
// icmp.data_time / icmp.data_time_relative, and the Data after it. Expected values:
// fixtures/icmp-echo-data-timestamp.pcap.tshark.tsv, `tshark -n -r … -T fields -e frame.number -e
// data.len -e icmp.data_time -e icmp.data_time_relative -e frame.protocols` (tshark 4.0.17) on
//   - 9 crafted echoes: 7, 8, 9, 12, 16 data bytes; little- and big-endian; 10^6 µs; 2 days off;
//     23 hours ahead (a negative relative time);
//   - ping (iputils) in a network namespace with -s 0, 4, 7, 8, 9, 15, 16 and ping -6 (no timestamp
//     in ICMPv6 for tshark).
// And inside an ICMP error that quotes a whole echo (icmp-many-types.pcapng frames 11-12).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const KEYS = ['frame.number', 'data.len', 'icmp.data_time', 'icmp.data_time_relative', 'frame.protocols'];

async function fields(file: string): Promise<string> {
  const out: Buffer[] = [];
  const w = new Writable({ write: (c, _e, cb) => (out.push(Buffer.from(c)), cb()) });
  expect(await main(['read', '-T', 'fields', ...KEYS.flatMap((k) => ['-e', k]), file], { stdout: w, stderr: w, env: {} })).toBe(0);
  return Buffer.concat(out).toString('utf8');
}

describe('ICMP echo data timestamp', () => {
  it('crafted and ping echoes: equal to tshark', async () => {
    const f = join(FX, 'icmp-echo-data-timestamp.pcap');
    expect(await fields(f)).toBe(readFileSync(f + '.tshark.tsv', 'utf8'));
  });

  it.runIf(existsSync(join(CORPUS_DIR, 'icmp-many-types.pcapng')))('in an echo quoted by an ICMP error, timed by the outer frame', async () => {
    const lines = (await fields(join(CORPUS_DIR, 'icmp-many-types.pcapng'))).split('\n');
    expect(lines[10]).toBe('11\t48\tJan 20, 2016 07:54:49.363453000 UTC\t0.000000000\teth:ethertype:ip:icmp:ip:icmp:data');
    expect(lines[11]).toBe('12\t48\tJan 20, 2016 07:58:57.526834000 UTC\t2.998687000\teth:ethertype:ip:icmp:ip:icmp:data');
  });
});
