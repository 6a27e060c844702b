// RESP (Redis) on TCP port 6379 (dissectors/resp.ts, reassembled in src/analysis/http/app.ts) against
// tshark 4.0.17: columns, frame.protocols and resp.* keys of fixtures/resp-commands.pcap (built by
// scripts/resp-fixture.py: SET, a GET split over two segments, an error, a long and a null bulk string,
// pipelined PINGs, a binary bulk, an inline command, an integer, nested arrays) and of the corpus's RESP
// capture, in .tshark.tsv files written by scripts/resp-fixture.sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { respLength, respPartialInfo } from '../../../dissectors/resp.js';
import { fieldsOf, runCli } from '../../helpers/cli.js';
import { CORPUS_DIR } from '../../helpers/corpus.js';

const FX = join(import.meta.dirname, '..', '..', '..', 'fixtures');

describe('RESP as tshark 4.0 shows it', () => {
  it('resp-commands.pcap: every cell equal but the layer tshark adds to the first segment of a split command', async () => {
    const want = readFileSync(join(FX, 'resp-commands.pcap.tshark.tsv'), 'utf8');
    const got = (await fieldsOf(join(FX, 'resp-commands.pcap'), want)).split('\n');
    const exp = want.split('\n');
    // frame 6 starts a command that frame 7 completes: both show "Request: GET [continuation] [TCP segment
    // of a reassembled PDU]", but tshark also lists the partial RESP layer (frame.protocols, the lengths)
    expect(exp[6]).toBe('TCP\tRequest: GET [continuation] [TCP segment of a reassembled PDU]\teth:ethertype:ip:tcp:resp\t\t\t\t3\t2');
    expect(got[6]).toBe('TCP\tRequest: GET [continuation] [TCP segment of a reassembled PDU]\teth:ethertype:ip:tcp\t\t\t\t\t');
    got[6] = exp[6];
    expect(got).toEqual(exp);
    for (const s of ['Response: Error: ERR unknown command', 'Response: BulkString(150)', 'Request: PING PING', 'Request: [fragment]', 'Response: 42', 'Response: Array(2)']) {
      expect(want).toContain(s);
    }
  });

  it("the corpus's Redis capture (SUBSCRIBE, PSUBSCRIBE, published messages, RESET): every cell equal", async () => {
    const want = readFileSync(join(FX, 'resp-corpus.tshark.tsv'), 'utf8');
    expect(await fieldsOf(join(CORPUS_DIR, 'null-ipv4-tcp-keepalive-resp.pcap'), want)).toBe(want);
  });

  it('the tree: arrays with their lengths, bulk strings with length and value', async () => {
    const r = await runCli(['read', '-V', '-Y', 'frame.number == 4', join(FX, 'resp-commands.pcap')]);
    expect(r.out).toContain(
      [
        'REdis Serialization Protocol',
        '    Array: Length 3',
        '        Length: 3',
        '        Bulk String: SET',
        '            Length: 3',
        '            Value: 534554',
      ].join('\n'),
    );
  });
});

describe('RESP message lengths and bounds', () => {
  const b = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

  it('whole values, incomplete ones (0), nulls and inline lines', () => {
    expect(respLength(b('+OK\r\n'), 0, 5)).toBe(5);
    expect(respLength(b('$5\r\nvalue\r\n'), 0, 11)).toBe(11);
    expect(respLength(b('$5\r\nval'), 0, 7)).toBe(0);
    expect(respLength(b('$-1\r\n'), 0, 5)).toBe(5);
    expect(respLength(b('*2\r\n:1\r\n*1\r\n+x\r\n'), 0, 16)).toBe(16);
    expect(respLength(b('*2\r\n:1\r\n'), 0, 8)).toBe(0);
    expect(respLength(b('PING\r\n'), 0, 6)).toBe(6);
    expect(respLength(b('PING'), 0, 4)).toBe(0);
    expect(respPartialInfo(b('*2\r\n$3\r\nGET\r\n$3\r\nk'), true)).toBe('Request: GET [continuation]');
  });

  it('arrays nested past the depth bound and random bytes (seeded, bounded): no exception, no runaway', () => {
    const deep = b('*1\r\n'.repeat(5000) + ':1\r\n');
    expect(respLength(deep, 0, deep.length)).toBeGreaterThan(0);
    let seed = 0x6379;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const alphabet = '*$:+-\r\n0123456789abc';
    for (let i = 0; i < 3000; i++) {
      const s = Array.from({ length: rnd() % 40 }, () => alphabet[rnd() % alphabet.length]).join('');
      const buf = b(s);
      expect(() => respLength(buf, 0, buf.length)).not.toThrow();
      expect(() => respPartialInfo(buf, i % 2 === 0)).not.toThrow();
    }
  });
});
